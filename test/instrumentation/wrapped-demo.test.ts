import { resolve } from 'node:path';
import { expect } from 'chai';
import { runDemo } from '../../examples/demo-runner.js';
import { generateSubmissions } from '../../examples/orchestrator/lead-source.js';
import { createSalesModules } from '../../examples/orchestrator/steps.js';
import { runSalesWorkflow } from '../../examples/orchestrator/workflow.js';
import { salesSpecs, wrappedSalesModules } from '../../examples/zero-code/wrapped-modules.js';
import { contentOf, testAudit, useAsyncContext } from './fixture.js';

const CONFIG = resolve(import.meta.dirname, '../../../examples/zero-code/sales-audit.json');

describe('instrument() on the demo orchestrator (in process)', () => {
  useAsyncContext();

  it('wrapped modules give the same records as the hand-instrumented steps', async () => {
    const hand = testAudit();
    const wrapped = testAudit();
    try {
      await runDemo({ audit: hand.audit, leads: 20, seed: 5 });
      const modules = wrappedSalesModules(createSalesModules({ seed: 5 }), salesSpecs(CONFIG), {
        audit: wrapped.audit,
        workflow: 'sales',
      });
      await runSalesWorkflow(generateSubmissions(20, 5), { workflow: 'sales', modules });
      const view = async (t: typeof hand): Promise<unknown[]> =>
        (await t.records()).map((r) => {
          const { 'orchestrator.duration_s': _d, 'orchestrator.error.traceback': _tb, ...attrs } = contentOf(r).attrs;
          return attrs;
        });
      const expected = await view(hand);
      expect(expected.length).to.be.greaterThan(150);
      expect(expected.some((a) => (a as Record<string, unknown>)['orchestrator.event.type'] === 'error')).to.equal(
        true,
      );
      expect(await view(wrapped)).to.deep.equal(expected);
    } finally {
      await hand.close();
      await wrapped.close();
    }
  });
});
