import { expect } from 'chai';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type DataPoint,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR, METRIC } from '../../src/events/semconv.js';
import { resourceAttributesFromEnv } from '../../src/logger/env.js';
import { CONFIG_FAILURE } from '../../src/logger/pipeline.js';
import { MAX_COUNTER_SERIES } from '../../src/logger/metrics.js';
import { testAudit, type TestAudit } from './fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** HrTime → milliseconds since the epoch. */
const ms = (t: readonly [number, number]): number => t[0] * 1000 + t[1] / 1e6;

function metric(rm: ResourceMetrics | undefined, name: string): MetricData | undefined {
  for (const scope of rm?.scopeMetrics ?? []) for (const m of scope.metrics) if (m.descriptor.name === name) return m;
  return undefined;
}

function pointFor(m: MetricData | undefined, attrs: Record<string, string>): DataPoint<unknown> | undefined {
  return (m?.dataPoints as DataPoint<unknown>[] | undefined)?.find((p) =>
    Object.entries(attrs).every(([k, v]) => p.attributes[k] === v),
  );
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

  // Prometheus writes a zero at a series' start time only when it is earlier than the sample
  // (created-timestamp-zero-ingestion); without it increase() misses a process's first events.
  it('starts each event/error series at its first event, before the collection that exports it', async () => {
    const before = Date.now();
    t.audit.logError('crm_timeout', 'slow', 'L-1', 'sales');
    const first = Date.now();
    await sleep(30);
    t.audit.logError('crm_timeout', 'slow', 'L-2', 'sales');
    const rm = await t.metrics();
    const errorPoint = pointFor(metric(rm, METRIC.errors), {
      [ATTR.errorType]: 'crm_timeout',
      [ATTR.workflow]: 'sales',
    });
    const eventPoint = pointFor(metric(rm, METRIC.events), { [ATTR.eventType]: 'error', [ATTR.workflow]: 'sales' });
    for (const p of [errorPoint, eventPoint]) {
      expect(p?.value).to.equal(2);
      const start = ms(p?.startTime as [number, number]);
      expect(start).to.be.within(before, first);
      expect(ms(p?.endTime as [number, number]) - start).to.be.at.least(25);
    }
  });

  it('keeps counts exact and start times fixed over several collections; a later series starts at its own first event', async () => {
    const sel = { [ATTR.eventType]: 'lead_ingested', [ATTR.workflow]: 'sales' };
    for (let i = 0; i < 5; i++) t.audit.logLeadIngested(`L-${i}`, 'web', {}, 'sales');
    const m1 = metric(await t.metrics(), METRIC.events);
    const start1 = pointFor(m1, sel)?.startTime;
    expect(sumFor(m1, sel)).to.equal(5);
    await sleep(20);
    for (let i = 0; i < 7; i++) t.audit.logLeadIngested(`L-${i}`, 'web', {}, 'sales');
    const laterStart = Date.now();
    t.audit.logLeadIngested('L-x', 'web', {}, 'nurture');
    const m2 = metric(await t.metrics(), METRIC.events);
    expect(sumFor(m2, sel)).to.equal(12);
    expect(pointFor(m2, sel)?.startTime).to.deep.equal(start1);
    const nurture = pointFor(m2, { [ATTR.eventType]: 'lead_ingested', [ATTR.workflow]: 'nurture' });
    expect(nurture?.value).to.equal(1);
    expect(ms(nurture?.startTime as [number, number])).to.be.at.least(laterStart);
    // nothing counted twice on a collection with no new events
    expect(sumFor(metric(await t.metrics(), METRIC.events), sel)).to.equal(12);
  });

  it('gives every reader of the MeterProvider the full counts', async () => {
    const second = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: second, exportIntervalMillis: 3_600_000 });
    const two = testAudit({ metricReaders: [reader] });
    try {
      for (let i = 0; i < 3; i++) two.audit.logError('smtp', 'refused', undefined, 'nurture');
      await two.audit.forceFlush();
      two.audit.logError('smtp', 'refused', undefined, 'nurture');
      await two.audit.forceFlush();
      const sel = { [ATTR.errorType]: 'smtp', [ATTR.workflow]: 'nurture' };
      const all = second.getMetrics();
      expect(sumFor(metric(all[all.length - 1], METRIC.errors), sel)).to.equal(4);
    } finally {
      await two.close();
    }
  });

  it('exports no data for its internal flush instrument', async () => {
    t.audit.logWorkflowStarted('sales');
    const names = (await t.metrics())?.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    expect(names).to.include(METRIC.events);
    expect(
      names?.filter((n) => !Object.values(METRIC).includes(n as (typeof METRIC)[keyof typeof METRIC])),
    ).to.deep.equal([]);
  });
});

describe('AuditLogger resource: service.instance.id', () => {
  async function resourceAttrs(options: Parameters<typeof testAudit>[0] = {}): Promise<Record<string, unknown>> {
    const t = testAudit(options);
    try {
      t.audit.logWorkflowStarted('sales');
      return { ...(await t.metrics())?.resource.attributes };
    } finally {
      await t.close();
    }
  }

  it('is a random UUID per logger, so two processes of one service are separate series', async () => {
    const a = await resourceAttrs({ serviceName: 'svc' });
    const b = await resourceAttrs({ serviceName: 'svc' });
    expect(a['service.name']).to.equal('svc');
    expect(a['service.instance.id']).to.match(UUID);
    expect(b['service.instance.id']).to.match(UUID);
    expect(a['service.instance.id']).to.not.equal(b['service.instance.id']);
  });

  it('keeps the one the options.resource gives', async () => {
    const attrs = await resourceAttrs({ resource: resourceFromAttributes({ 'service.instance.id': 'worker-7' }) });
    expect(attrs['service.instance.id']).to.equal('worker-7');
  });

  it('keeps the one OTEL_RESOURCE_ATTRIBUTES of options.env gives, not the process environment', async () => {
    const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'service.instance.id=from-process,team=process';
    try {
      const attrs = await resourceAttrs({
        env: { OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=pod-3, deployment.environment.name=test,team=a%2Cb%3Dc' },
      });
      expect(attrs['service.instance.id']).to.equal('pod-3');
      expect(attrs['deployment.environment.name']).to.equal('test');
      expect(attrs.team).to.equal('a,b=c');
    } finally {
      if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
      else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
    }
  });

  it('ignores a malformed OTEL_RESOURCE_ATTRIBUTES whole and counts it', async () => {
    const diagnostics = new AuditDiagnostics();
    const attrs = await resourceAttrs({ diagnostics, env: { OTEL_RESOURCE_ATTRIBUTES: 'team=ok,broken,other=x' } });
    expect(attrs.team).to.equal(undefined);
    expect(attrs['service.instance.id']).to.match(UUID);
    expect(diagnostics.total(CONFIG_FAILURE.resourceAttributes)).to.equal(1);
    expect(diagnostics.snapshot().find((f) => f.kind === CONFIG_FAILURE.resourceAttributes)?.lastDetail).to.contain(
      '"broken"',
    );
  });
});

describe('resourceAttributesFromEnv', () => {
  it('decodes, trims and skips empty entries', () => {
    expect(resourceAttributesFromEnv(' a = 1 ,, b=%E2%9C%93 ,')).to.deep.equal({ attributes: { a: '1', b: '✓' } });
    expect(resourceAttributesFromEnv(undefined)).to.deep.equal({ attributes: {} });
    expect(resourceAttributesFromEnv('  ')).to.deep.equal({ attributes: {} });
  });

  it('discards the whole value on any malformed entry, saying why', () => {
    for (const bad of ['a=1,b', 'a=1,b=2=3', 'a=1, =2', 'a=%E2%9C', `a=${'x'.repeat(256)}`]) {
      const result = resourceAttributesFromEnv(bad);
      expect(result.attributes, bad).to.deep.equal({});
      expect(result.error, bad).to.be.a('string').and.not.equal('');
    }
  });
});
