import { expect } from 'chai';
import { audited, auditedRun } from '../../src/instrumentation/decorators.js';
import { isInstrumented } from '../../src/instrumentation/wrap-function.js';
import { contentOf, summaryOf, testTracer, useTestAudit, type TestAudit } from './fixture.js';

describe('instrumentation decorators (standard TC39)', () => {
  const t = useTestAudit();

  it('@audited / @auditedRun audit class methods with spans, durations, events and errors', async () => {
    const { tracer, spans } = testTracer();
    const getAudit = (): TestAudit['audit'] => t.audit;
    const options = { audit: getAudit, tracer };

    class Pipeline {
      readonly workflow = 'inbound';
      @audited(
        'lead_qualified',
        {
          leadId: 'args.0.id',
          workflowFrom: 'this.workflow',
          fields: { qualified: 'result.qualified', reason: 'result.reason' },
          operation: 'lead.qualify',
        },
        options,
      )
      qualify(lead: { id: string; score: number }): { qualified: boolean; reason: string } {
        if (lead.score < 0) throw new RangeError(`bad score for ${lead.id}`);
        return { qualified: lead.score >= 50, reason: `score ${lead.score}` };
      }

      @audited(
        'lead_routed',
        { leadId: 'args.0.id', workflowFrom: 'this.workflow', fields: { destination: 'result' } },
        options,
      )
      async route(lead: { id: string; score: number }): Promise<string> {
        await Promise.resolve();
        return lead.score >= 50 ? 'sales' : 'nurture';
      }

      @auditedRun({ spanName: 'inbound.run', workflowFrom: 'this.workflow' }, options)
      async run(leads: { id: string; score: number }[]): Promise<string[]> {
        const out: string[] = [];
        for (const lead of leads) {
          try {
            this.qualify(lead);
            out.push(await this.route(lead));
          } catch {
            out.push('rejected');
          }
        }
        return out;
      }
    }

    const p = new Pipeline();
    expect(isInstrumented(Pipeline.prototype.qualify)).to.equal(true);
    expect(Pipeline.prototype.qualify.name).to.equal('qualify');
    expect(
      await p.run([
        { id: 'L-1', score: 70 },
        { id: 'L-2', score: -1 },
      ]),
    ).to.deep.equal(['sales', 'rejected']);
    const records = await t.records();
    expect(summaryOf(records)).to.deep.equal([
      { type: 'performance', lead: undefined, workflow: 'inbound' },
      { type: 'lead_qualified', lead: 'L-1', workflow: 'inbound' },
      { type: 'lead_routed', lead: 'L-1', workflow: 'inbound' },
      { type: 'performance', lead: undefined, workflow: 'inbound' },
      { type: 'error', lead: 'L-2', workflow: 'inbound' },
    ]);
    expect(contentOf(records[4]!).attrs['orchestrator.error.type']).to.equal('RangeError');
    const run = spans.getFinishedSpans().find((s) => s.name === 'inbound.run')!;
    expect(records.every((r) => contentOf(r).trace === run.spanContext().traceId)).to.equal(true);
    expect(spans.getFinishedSpans().filter((s) => s.name === 'lead.qualify')).to.have.length(2);
  });
});
