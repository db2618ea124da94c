/**
 * An audit worker that stays alive (its event loop runs, it keeps showing signs of life) but whose
 * flush or shutdown never finishes, because one of its sinks never settles: `forceFlush()` and
 * `shutdown()` do not wait for it past `flushTimeoutMs`. The stall is counted as `thread.worker`;
 * a flush resolves without it; a shutdown stops the worker and counts every record not known to be
 * written as `thread.lost` (records the journal did write are not counted), and says so on stderr.
 *
 * Test-only hook: `injectWorkerFault({ stallSinkOn })` (src/thread/fault-injection.ts, not exported
 * by the package) gives the next worker started a sink whose flush or shutdown never settles.
 */
import { expect } from 'chai';
import path from 'node:path';
import { injectWorkerFault } from '../../src/thread/fault-injection.js';
import { tempDir } from '../cli/fixture.js';
import { startPeer } from '../webhooks/loopback-peer.js';
import { logLeads, outcomeOf, threadAudit, timed, untilEmitted, withStderr } from './fixtures/worker-probe.js';

/** Below the stall bound: the worker is not hung, it shows signs of life throughout. */
const HANG_MS = 300;
const STALL_MS = 800;

describe('thread mode: a worker whose flush never finishes', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-stall-')));
  after(() => cleanup());
  afterEach(() => injectWorkerFault(undefined));

  it('bounds forceFlush and counts the stall; the worker, still alive, then shuts down and writes everything', async () => {
    const file = path.join(dir, 'flush.log');
    injectWorkerFault({ stallSinkOn: 'flush' });
    const audit = threadAudit({ auditFile: file, thread: { hangTimeoutMs: HANG_MS, flushTimeoutMs: STALL_MS } });
    logLeads(audit, 'F-', 0, 100);
    await untilEmitted(audit, 100);

    const took = await timed(() => audit.forceFlush());
    expect(took).to.be.within(STALL_MS, STALL_MS + 2000);
    expect(audit.diagnostics.total('thread.worker')).to.equal(1);
    const stall = audit.getDiagnostics().failures.find((f) => f.kind === 'thread.worker');
    expect(stall?.lastDetail).to.match(/did not finish a flush within 800 ms \(it still shows signs of life\)/);

    await audit.shutdown();
    expect(outcomeOf(audit, file, 'F-')).to.deep.equal({ written: 100, lost: 0, worker: 1 });
  });

  it('stops a worker whose shutdown never finishes; what the journal wrote is not counted as lost', async () => {
    const file = path.join(dir, 'shutdown.log');
    injectWorkerFault({ stallSinkOn: 'shutdown' });
    const audit = threadAudit({
      auditFile: file,
      flushIntervalMs: 60000, // the journal writes only at flush / shutdown: the worker holds every record
      thread: { hangTimeoutMs: HANG_MS, flushTimeoutMs: STALL_MS },
    });
    logLeads(audit, 'S-', 0, 100);
    await untilEmitted(audit, 100);

    const { result: took, stderr } = await withStderr(() => timed(() => audit.shutdown()));
    expect(took).to.be.within(STALL_MS, STALL_MS + 2000);
    expect(stderr).to.match(/did not finish its shutdown within 800 ms .*and was stopped; 0 record\(s\) not known/);
    // later calls resolve at once and count nothing more
    expect(await timed(() => audit.shutdown())).to.be.below(STALL_MS);
    expect(await timed(() => audit.forceFlush())).to.be.below(STALL_MS);
    expect(outcomeOf(audit, file, 'S-')).to.deep.equal({ written: 100, lost: 0, worker: 1 });
  });

  it('counts what the worker still held for a collector that never answers when its shutdown is given up', async () => {
    // a real collector stand-in that takes each export request and never answers within the test
    const collector = await startPeer(() => ({ status: 200, delayMs: 60_000 }));
    try {
      const audit = threadAudit({
        otlp: { endpoint: new URL(collector.url).origin, metrics: false },
        thread: { hangTimeoutMs: HANG_MS, flushTimeoutMs: STALL_MS },
      });
      logLeads(audit, 'O-', 0, 50);
      await untilEmitted(audit, 50);
      await collector.waitForRequests(1, 3000); // the batch is on the wire, its answer held
      // the OTLP sink would wait for the answer up to its own limit (its timeout + 5 s): past the stall bound
      const { result: took, stderr } = await withStderr(() => timed(() => audit.shutdown()));
      expect(took).to.be.within(STALL_MS, STALL_MS + 2000);
      const said = /did not finish its shutdown within 800 ms .*; (\d+) record\(s\) not known to be written/.exec(
        stderr,
      );
      expect(said, stderr).to.not.equal(null);
      const lost = audit.diagnostics.total('thread.lost');
      expect({ said: Number(said![1]), lost, worker: audit.diagnostics.total('thread.worker') }).to.deep.equal({
        said: 50,
        lost: 50, // none acknowledged by the collector: every call counted
        worker: 1,
      });
    } finally {
      await collector.close();
    }
  });
});
