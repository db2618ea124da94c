import { expect } from 'chai';
import { context, trace } from '@opentelemetry/api';
import { instrument } from '../../src/instrumentation/instrument.js';
import { isInstrumented, originalOf, wrapFunction } from '../../src/instrumentation/wrap-function.js';
import { ExtractorPathError } from '../../src/instrumentation/extract.js';
import { INSTRUMENTATION_FAILURE } from '../../src/instrumentation/call-plan.js';
import * as sample from './sample-module.js';
import { contentOf, summaryOf, testTracer, useTestAudit } from './fixture.js';

class LeadError extends Error {
  override readonly name = 'LeadError';
}

describe('instrument(): wrapped functions', () => {
  const t = useTestAudit();

  it('sync: keeps `this` and the return value, writes the duration then the event with extracted fields', async () => {
    const { tracer } = testTracer();
    const service = {
      workflow: 'sales',
      qualify(lead: { id: string }, min: number) {
        return { qualified: min < 10, reason: `score for ${lead.id} via ${this.workflow}` };
      },
      untouched() {
        return this.workflow;
      },
    };
    const untouched = service.untouched;
    const same = instrument(
      service,
      {
        qualify: {
          event: 'lead_qualified',
          leadId: 'args.0.id',
          workflowFrom: 'this.workflow',
          fields: { qualified: 'result.qualified', reason: 'result.reason' },
          operation: 'lead.qualify',
        },
      },
      { audit: t.audit, tracer },
    );
    expect(same).to.equal(service);
    expect(service.untouched).to.equal(untouched);
    expect(service.qualify({ id: 'L-1' }, 5)).to.deep.equal({ qualified: true, reason: 'score for L-1 via sales' });
    const records = await t.records();
    expect(summaryOf(records)).to.deep.equal([
      { type: 'performance', lead: undefined, workflow: 'sales' },
      { type: 'lead_qualified', lead: 'L-1', workflow: 'sales' },
    ]);
    expect(contentOf(records[1]!).attrs).to.include({
      'orchestrator.lead.qualified': true,
      'orchestrator.lead.reason': 'score for L-1 via sales',
    });
    expect(contentOf(records[0]!).attrs['orchestrator.operation']).to.equal('lead.qualify');
    expect(t.audit.getPerformanceStats('lead.qualify')['lead.qualify']?.count).to.equal(1);
    const metrics = await t.metrics();
    const histogram = metrics?.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === 'orchestrator.operation.duration');
    const point = histogram?.dataPoints.find((p) => p.attributes['orchestrator.operation'] === 'lead.qualify');
    expect((point?.value as { count: number } | undefined)?.count).to.equal(1);
  });

  it('async and promise-returning: resolved values pass through, the event follows completion', async () => {
    const api = {
      async create(lead: { id: string }) {
        await new Promise((r) => setTimeout(r, 2));
        return { crmId: `C-${lead.id}`, crmType: 'hubspot' };
      },
      send(lead: { id: string }): Promise<{ step: number }> {
        return new Promise((resolve) => setTimeout(() => resolve({ step: lead.id.length }), 1));
      },
    };
    instrument(
      api,
      {
        create: {
          event: 'crm_create',
          leadId: 'args.0.id',
          fields: { crmId: 'result.crmId', crmType: 'result.crmType' },
          workflow: 'wf',
        },
        send: {
          event: 'email_sent',
          leadId: 'args.0.id',
          fields: { recipient: { const: 'a@b.c' }, subject: { const: 'Hi' }, step: 'result.step' },
        },
      },
      { audit: t.audit, workflow: 'default-wf' },
    );
    const pending = api.create({ id: 'L-2' });
    expect(pending).to.be.instanceOf(Promise);
    expect(await pending).to.deep.equal({ crmId: 'C-L-2', crmType: 'hubspot' });
    expect(await api.send({ id: 'L-333' })).to.deep.equal({ step: 5 });
    const records = await t.records();
    expect(summaryOf(records)).to.deep.equal([
      { type: 'crm_create', lead: 'L-2', workflow: 'wf' },
      { type: 'email_sent', lead: 'L-333', workflow: 'default-wf' },
    ]);
    expect(contentOf(records[0]!).attrs['orchestrator.crm.id']).to.equal('C-L-2');
    expect(contentOf(records[1]!).attrs['orchestrator.email.step']).to.equal(5);
  });

  it('async generators: yields and return value pass through; the event is written once the generator finishes', async () => {
    const source = {
      async *leads(n: number): AsyncGenerator<string, number, undefined> {
        for (let i = 1; i <= n; i++) yield `L-${i}`;
        return n;
      },
    };
    instrument(
      source,
      { leads: { event: 'batch_read', fields: { count: 'result' }, operation: 'leads.read' } },
      { audit: t.audit },
    );
    const gen = source.leads(3);
    expect(Object.prototype.toString.call(gen)).to.equal('[object AsyncGenerator]');
    const seen: string[] = [];
    let step = await gen.next();
    expect(await t.records()).to.have.length(0); // not finished yet
    while (!step.done) {
      seen.push(step.value);
      step = await gen.next();
    }
    expect(seen).to.deep.equal(['L-1', 'L-2', 'L-3']);
    expect(step.value).to.equal(3);
    // a consumer stopping early still completes the call once
    for await (const id of source.leads(5)) if (id === 'L-2') break;
    const records = await t.records();
    expect(summaryOf(records).map((r) => r.type)).to.deep.equal([
      'performance',
      'batch_read',
      'performance',
      'batch_read',
    ]);
    expect(contentOf(records[1]!).attrs['orchestrator.fields']).to.deep.include({ count: 3 });
  });

  it('errors: the same object is rethrown (sync and rejected) and recorded with type, message, lead, workflow and stack', async () => {
    const thrown = new LeadError('no usable email for jane@example.com');
    const svc = {
      check(_lead: { id: string }): boolean {
        throw thrown;
      },
      async push(_lead: { id: string }): Promise<void> {
        await Promise.resolve();
        throw thrown;
      },
    };
    instrument(
      svc,
      {
        check: { event: 'lead_qualified', leadId: 'args.0.id', operation: 'lead.qualify' },
        push: { event: 'crm_create', leadId: 'args.0.id' },
      },
      { audit: t.audit, workflow: 'sales' },
    );
    let caught: unknown;
    try {
      svc.check({ id: 'L-9' });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(thrown);
    let rejected: unknown;
    await svc.push({ id: 'L-10' }).catch((err: unknown) => (rejected = err));
    expect(rejected).to.equal(thrown);
    const records = await t.records();
    expect(summaryOf(records)).to.deep.equal([
      { type: 'performance', lead: undefined, workflow: 'sales' },
      { type: 'error', lead: 'L-9', workflow: 'sales' },
      { type: 'error', lead: 'L-10', workflow: 'sales' },
    ]);
    const attrs = contentOf(records[1]!).attrs;
    expect(attrs['orchestrator.error.type']).to.equal('LeadError');
    expect(attrs['orchestrator.error.message']).to.equal(thrown.message);
    expect(String(attrs['orchestrator.error.traceback'])).to.include('LeadError').and.include('wrap.test');
    expect(records[1]!.severityText).to.equal('ERROR');
  });

  it('no double wrapping; unmapped functions untouched; bad paths fail at instrumentation time', async () => {
    const obj = { run: (x: number) => x + 1, other: (x: number) => x };
    const other = obj.other;
    instrument(obj, { run: { event: 'step_done' } }, { audit: t.audit });
    const once = obj.run;
    instrument(obj, { run: { event: 'step_done' } }, { audit: t.audit });
    expect(obj.run).to.equal(once);
    expect(isInstrumented(obj.run)).to.equal(true);
    expect(wrapFunction(once, 'run', { event: 'x' })).to.equal(once);
    expect(originalOf(obj.run)).to.not.equal(obj.run);
    expect(obj.other).to.equal(other);
    expect(obj.run(1)).to.equal(2);
    expect(await t.records()).to.have.length(1);
    expect(() => instrument({ f: () => 1 }, { f: { leadId: 'arguments.0' } })).to.throw(ExtractorPathError);
  });

  it('an extractor that throws is counted, the call and its event still go through', async () => {
    const obj = {
      go: (n: number) => n,
    };
    instrument(
      obj,
      {
        go: {
          event: 'lead_routed',
          leadId: () => {
            throw new Error('boom');
          },
          fields: { destination: 'result' },
        },
      },
      { audit: t.audit },
    );
    expect(obj.go(7)).to.equal(7);
    expect(await t.records()).to.have.length(1);
    expect(t.audit.diagnostics.total(INSTRUMENTATION_FAILURE.extract)).to.equal(1);
  });

  it('module namespaces (frozen) give a wrapped copy; classes get their prototype methods wrapped', async () => {
    const wrapped = instrument(sample, { double: { event: 'doubled', fields: { n: 'args.0' } } }, { audit: t.audit });
    expect(wrapped).to.not.equal(sample);
    expect(sample.double).to.equal(originalOf(wrapped.double));
    expect(wrapped.triple).to.equal(sample.triple);
    expect(wrapped.double(4)).to.equal(8);
    class Crm {
      constructor(readonly prefix: string) {}
      create(id: string): string {
        return this.prefix + id;
      }
    }
    expect(
      instrument(
        Crm,
        { create: { event: 'crm_create', leadId: 'args.0', fields: { crmId: 'result', crmType: 'this.prefix' } } },
        { audit: t.audit },
      ),
    ).to.equal(Crm);
    expect(new Crm('HS-').create('L-4')).to.equal('HS-L-4');
    const records = await t.records();
    expect(summaryOf(records).map((r) => r.type)).to.deep.equal(['doubled', 'crm_create']);
    expect(contentOf(records[1]!).attrs).to.include({
      'orchestrator.crm.id': 'HS-L-4',
      'orchestrator.crm.type': 'HS-',
    });
  });

  it('a workflow run is a root span, steps are its children, and records carry their trace and span ids', async () => {
    const { tracer, spans } = testTracer();
    const steps = {
      async ingest(id: string) {
        await new Promise((r) => setTimeout(r, 1));
        return { id, source: 'web' };
      },
    };
    const flow = {
      async run(ids: string[]) {
        for (const id of ids) await steps.ingest(id);
        return ids.length;
      },
    };
    const options = { audit: t.audit, tracer, workflow: 'sales' };
    instrument(
      steps,
      {
        ingest: {
          event: 'lead_ingested',
          leadId: 'result.id',
          fields: { source: 'result.source' },
          operation: 'lead.ingest',
        },
      },
      options,
    );
    instrument(flow, { run: { kind: 'run', spanName: 'sales.run', operation: 'sales.run' } }, options);
    const outer = tracer.startSpan('unrelated');
    const n = await context.with(trace.setSpan(context.active(), outer), () => flow.run(['L-1', 'L-2']));
    outer.end();
    expect(n).to.equal(2);
    const finished = spans.getFinishedSpans();
    const run = finished.find((s) => s.name === 'sales.run')!;
    const ingests = finished.filter((s) => s.name === 'lead.ingest');
    expect(run.parentSpanContext).to.equal(undefined); // root, not a child of `unrelated`
    expect(ingests).to.have.length(2);
    for (const s of ingests) {
      expect(s.spanContext().traceId).to.equal(run.spanContext().traceId);
      expect(s.parentSpanContext?.spanId).to.equal(run.spanContext().spanId);
    }
    const records = await t.records();
    const ingested = records.filter((r) => contentOf(r).attrs['orchestrator.event.type'] === 'lead_ingested');
    expect(ingested.map((r) => contentOf(r).span)).to.deep.equal(ingests.map((s) => s.spanContext().spanId));
    expect(ingested.every((r) => contentOf(r).trace === run.spanContext().traceId)).to.equal(true);
    const runPerf = records.find((r) => contentOf(r).attrs['orchestrator.operation'] === 'sales.run')!;
    expect(contentOf(runPerf).span).to.equal(run.spanContext().spanId);
  });
});
