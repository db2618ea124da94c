/**
 * A worker that stops while the process goes on (what an uncaught error or a `process.exit`
 * inside it looks like to the app thread): every record is in the journal or counted as
 * `thread.lost`, also those the worker had taken but still held in its journal's buffer; later
 * helper calls count too; flush and shutdown resolve.
 */
import { expect } from 'chai';
import path from 'node:path';
import { tempDir } from '../cli/fixture.js';
import { leadLines, terminate, untilEmitted, logLeads, threadAudit } from './fixtures/worker-probe.js';

describe('thread mode: the worker dies', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-death-')));
  after(() => cleanup());

  it('counts the records the worker held in its journal buffer as lost, and later calls too', async () => {
    const file = path.join(dir, 'held.log');
    // the journal writes only on flush: whatever the worker took stays in its buffer
    const audit = threadAudit({
      auditFile: file,
      flushIntervalMs: 60000,
      thread: true,
    });
    logLeads(audit, 'W-', 0, 200);
    await untilEmitted(audit, 200);
    await terminate(audit);
    await new Promise((r) => setTimeout(r, 50)); // the worker's exit event reaches the app thread
    expect(() => audit.logLeadIngested('W-after', 'web', {}, 'wf')).to.not.throw();
    await audit.forceFlush();
    await audit.shutdown();

    const written = leadLines(file, 'W-');
    const lost = audit.diagnostics.total('thread.lost');
    expect(audit.diagnostics.total('thread.worker')).to.equal(1);
    // none silently: each of the 201 calls is in the journal or counted (at most counted in both)
    expect(written + lost, `${written} written, ${lost} lost`).to.be.at.least(201);
    expect(lost).to.be.at.most(201);
    expect(audit.getDiagnostics().thread?.lost).to.equal(lost);
  });

  it('counts every record of a burst cut off mid-stream, in the ring, the queue or the worker', async () => {
    const file = path.join(dir, 'burst.log');
    const audit = threadAudit({
      auditFile: file,
      thread: { ringBytes: 16384 },
    });
    logLeads(audit, 'W-', 0, 2000);
    await terminate(audit);
    await new Promise((r) => setTimeout(r, 50));
    await audit.forceFlush();
    await audit.shutdown();
    const written = leadLines(file, 'W-');
    const lost = audit.diagnostics.total('thread.lost');
    expect(written + lost, `${written} written, ${lost} lost`).to.be.at.least(2000);
    expect(lost).to.be.at.most(2000);
    expect(audit.getDiagnostics().thread).to.include({ lost, queued: 0 });
  });
});
