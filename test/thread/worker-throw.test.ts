/**
 * An uncaught exception thrown inside the audit worker while records are in flight (in its
 * journal buffer, the ring and the app thread's overflow queue): helpers keep not throwing, the
 * death is counted as `thread.worker` with the error, and every record is either in the journal
 * or counted as `thread.lost`, read back from the journal: written + lost = calls.
 *
 * Test-only hook: `injectWorkerFault({ throwAfterRecords })` (src/thread/fault-injection.ts, not
 * exported by the package) makes the next worker started throw an uncaught exception once it has
 * emitted that many records.
 */
import { expect } from 'chai';
import path from 'node:path';
import { injectWorkerFault } from '../../src/thread/fault-injection.js';
import { tempDir } from '../cli/fixture.js';
import { leadLines, threadAudit } from './fixtures/worker-probe.js';

describe('thread mode: an uncaught exception in the worker', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-throw-')));
  after(() => cleanup());
  afterEach(() => injectWorkerFault(undefined));

  it('counts the death and every record not written; helpers never throw', async () => {
    const file = path.join(dir, 'throw.log');
    injectWorkerFault({ throwAfterRecords: 600 });
    const audit = threadAudit({
      auditFile: file,
      flushIntervalMs: 60000, // after the flush below, what the worker takes stays in its buffer
      thread: { ringBytes: 16384 },
    });
    let calls = 0;
    const log = (): void => {
      const id = `T-${calls++}`;
      expect(() => audit.logLeadIngested(id, 'web', { email: 'jane.doe@example.com' }, 'wf')).to.not.throw();
    };
    for (let i = 0; i < 300; i++) log();
    await audit.forceFlush(); // these 300 are written
    // the worker throws after taking 300 more; the rest of the burst waits in the ring and the queue
    for (let i = 0; i < 1700; i++) log();
    for (let i = 0; i < 500 && audit.diagnostics.total('thread.worker') === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 10; i++) log(); // after the death
    await audit.forceFlush();
    await audit.shutdown();

    const death = audit.getDiagnostics().failures.find((f) => f.kind === 'thread.worker');
    expect(death?.count).to.equal(1);
    expect(death?.lastDetail).to.match(/injected fault after 600 records/);
    const written = leadLines(file, 'T-');
    const lost = audit.diagnostics.total('thread.lost');
    // the worker's journal writes its buffer as the thread ends: those records are written, not lost
    expect(written, `${written} written, ${lost} lost`).to.be.within(300, 1999);
    expect({ calls, total: written + lost }).to.deep.equal({ calls: 2010, total: 2010 });
    expect(audit.getDiagnostics().thread).to.include({ lost, queued: 0 });
  });
});
