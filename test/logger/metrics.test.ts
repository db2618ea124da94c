import { expect } from 'chai';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ATTR, METRIC } from '../../src/events/semconv.js';
import { MAX_COUNTER_SERIES } from '../../src/logger/metrics.js';
import { testAudit, type TestAudit } from './fixture.js';

function metric(rm: ResourceMetrics | undefined, name: string): MetricData | undefined {
  for (const scope of rm?.scopeMetrics ?? []) for (const m of scope.metrics) if (m.descriptor.name === name) return m;
  return undefined;
}

function sumFor(m: MetricData | undefined, attrs: Record<string, string>): number | undefined {
  const point = m?.dataPoints.find((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
  return point?.value as number | undefined;
}

describe('AuditLogger metrics', () => {
  let t: TestAudit;
  beforeEach(() => {
    t = testAudit();
  });
  afterEach(() => t.close());

  it('counts events by type and workflow, errors by error type and workflow', async () => {
    t.audit.logLeadIngested('L-1', 'web', {}, 'sales');
    t.audit.logLeadIngested('L-2', 'web', {}, 'sales');
    t.audit.logLeadIngested('L-3', 'web', {}, 'nurture');
    t.audit.logError('crm_timeout', 'slow', 'L-1', 'sales');
    t.audit.logError('crm_timeout', 'slow', 'L-2', 'sales');
    t.audit.logError('smtp', 'refused', undefined, 'nurture');
    const rm = await t.metrics();
    const events = metric(rm, METRIC.events);
    expect(events?.dataPointType).to.equal(DataPointType.SUM);
    expect(events && 'isMonotonic' in events ? events.isMonotonic : undefined).to.equal(true);
    expect(sumFor(events, { [ATTR.eventType]: 'lead_ingested', [ATTR.workflow]: 'sales' })).to.equal(2);
    expect(sumFor(events, { [ATTR.eventType]: 'lead_ingested', [ATTR.workflow]: 'nurture' })).to.equal(1);
    expect(sumFor(events, { [ATTR.eventType]: 'error', [ATTR.workflow]: 'sales' })).to.equal(2);
    const errors = metric(rm, METRIC.errors);
    expect(sumFor(errors, { [ATTR.errorType]: 'crm_timeout', [ATTR.workflow]: 'sales' })).to.equal(2);
    expect(sumFor(errors, { [ATTR.errorType]: 'smtp', [ATTR.workflow]: 'nurture' })).to.equal(1);
  });

  it('records durations in an exponential histogram in seconds by operation and workflow', async () => {
    t.audit.trackPerformance('crm_sync', 0.1, 'sales');
    t.audit.trackPerformance('crm_sync', 0.3, 'sales');
    t.audit.trackPerformance('send_email', 1.5);
    const m = metric(await t.metrics(), METRIC.duration);
    expect(m?.dataPointType).to.equal(DataPointType.EXPONENTIAL_HISTOGRAM);
    expect(m?.descriptor.unit).to.equal('s');
    const crm = m?.dataPoints.find((p) => p.attributes[ATTR.operation] === 'crm_sync');
    expect(crm?.attributes[ATTR.workflow]).to.equal('sales');
    const value = crm?.value as { count: number; sum: number; min: number; max: number };
    expect(value).to.include({ count: 2, min: 0.1, max: 0.3 });
    expect(value.sum).to.be.closeTo(0.4, 1e-12);
    const email = m?.dataPoints.find((p) => p.attributes[ATTR.operation] === 'send_email');
    expect(email?.attributes[ATTR.workflow]).to.equal('unknown');
  });

  it('caps the event counter at MAX_COUNTER_SERIES attribute sets and counts the rest in an overflow series', async () => {
    for (let i = 0; i < MAX_COUNTER_SERIES + 3; i++) t.audit.logWorkflowStarted(`wf-${i}`);
    const events = metric(await t.metrics(), METRIC.events);
    expect(events?.dataPoints).to.have.length(MAX_COUNTER_SERIES + 1);
    expect(events?.dataPoints.find((p) => p.attributes['otel.metric.overflow'] === true)?.value).to.equal(3);
  });

  it('counts internal failures by kind', async () => {
    t.audit.logLeadIngested(12345, 'web', { big: 10n }, 'sales');
    const m = metric(await t.metrics(), METRIC.failures);
    expect(sumFor(m, { 'audit.failure.kind': 'sanitize.bigint' })).to.equal(1);
    expect(sumFor(m, { 'audit.failure.kind': 'sanitize.id-not-string' })).to.equal(1);
  });

  it('writes the shutdown seal as the last record of the stream on shutdown', async () => {
    t.audit.logWorkflowStarted('sales');
    await t.audit.shutdown();
    expect(t.audit.getDiagnostics().head?.seq).to.equal(2);
  });
});
