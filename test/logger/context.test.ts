import { expect } from 'chai';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { TestContextManager } from './context-manager.js';
import { contentOf, testAudit, type TestAudit } from './fixture.js';

describe('AuditLogger trace context', () => {
  let t: TestAudit;
  let installed = false;
  before(() => {
    installed = context.setGlobalContextManager(new TestContextManager());
    expect(installed, 'another global context manager is already installed').to.equal(true);
  });
  after(() => {
    if (installed) context.disable();
  });
  beforeEach(() => {
    t = testAudit();
  });
  afterEach(() => t.close());

  it('puts the trace and span ids of the active span on the record and in the signed content', async () => {
    const tracer = new BasicTracerProvider().getTracer('test');
    const span = tracer.startSpan('process-lead');
    context.with(trace.setSpan(context.active(), span), () => t.audit.logLeadIngested('L-1', 'web', {}, 'sales'));
    await context.with(trace.setSpan(context.active(), span), async () => {
      await Promise.resolve();
      t.audit.logLeadQualified('L-1', false, 'spam', 'sales');
    });
    span.end();
    t.audit.logWorkflowStopped('sales', 'done');
    const [inSpan, afterAwait, outside] = await t.records();
    const sc = span.spanContext();
    for (const r of [inSpan!, afterAwait!]) {
      expect(r.spanContext?.traceId).to.equal(sc.traceId);
      expect(r.spanContext?.spanId).to.equal(sc.spanId);
      expect(contentOf(r)).to.include({ trace: sc.traceId, span: sc.spanId });
    }
    expect(outside!.spanContext).to.equal(undefined);
    expect(contentOf(outside!)).to.not.have.property('trace');
  });
});
