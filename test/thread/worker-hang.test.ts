/**
 * An audit worker that is alive but hung: flush, queries and shutdown do not wait for it past
 * `hangTimeoutMs`. A flush resolves and the hang is counted once as `thread.worker`; a shutdown
 * stops the worker and counts every record not known to be written as `thread.lost` (and says so
 * on stderr); later calls neither wait nor count again.
 *
 * Test-only hook: `injectWorkerFault({ hangOn })` (src/thread/fault-injection.ts, not exported by
 * the package) makes the next worker started block for good when it receives that request.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { injectWorkerFault } from '../../src/thread/fault-injection.js';
import { tempDir } from '../cli/fixture.js';
import {
  leadLines,
  untilEmitted,
  withStderr,
  THREAD_TEST_KEY as KEY,
  logLeads,
  threadAudit,
  timed,
  outcomeOf,
} from './fixtures/worker-probe.js';

const HANG_MS = 500;
const HUNG_EXIT_WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hung-exit-writer.js');

describe('thread mode: a hung worker', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-hang-')));
  after(() => cleanup());
  afterEach(() => injectWorkerFault(undefined));

  it('bounds flush and queries; counts the hang once; shutdown stops the worker and counts what it held', async () => {
    const file = path.join(dir, 'flush.log');
    injectWorkerFault({ hangOn: 'flush' });
    const audit = threadAudit({
      auditFile: file,
      flushIntervalMs: 60000, // the journal writes only on flush: what the worker took stays in its buffer
      thread: { hangTimeoutMs: HANG_MS },
    });
    logLeads(audit, 'H-', 0, 100);
    await untilEmitted(audit, 100);

    const first = await timed(() => audit.forceFlush());
    expect(first).to.be.within(HANG_MS, HANG_MS + 2000);
    expect(audit.diagnostics.total('thread.worker')).to.equal(1);
    const hang = audit.getDiagnostics().failures.find((f) => f.kind === 'thread.worker');
    expect(hang?.lastDetail).to.match(/no sign of life for 500 ms/);
    // later calls: no second wait, no second count
    expect(await timed(() => audit.forceFlush())).to.be.below(HANG_MS);
    expect(await timed(() => audit.queryEvents({ eventType: 'lead_ingested' }))).to.be.below(HANG_MS);
    expect(() => audit.logLeadIngested('H-100', 'web', {}, 'wf')).to.not.throw();
    expect(audit.diagnostics.total('thread.worker')).to.equal(1);

    const { stderr } = await withStderr(() => audit.shutdown());
    expect(stderr).to.match(/no sign of life for 500 ms at shutdown and was stopped; 101 record\(s\)/);
    await audit.shutdown();
    await audit.forceFlush();
    expect(outcomeOf(audit, file, 'H-')).to.deep.equal({ written: 0, lost: 101, worker: 1 });
  });

  it('stops a worker that hangs at shutdown after the bound; records written before stay, the rest are counted', async () => {
    const file = path.join(dir, 'shutdown.log');
    injectWorkerFault({ hangOn: 'shutdown' });
    const audit = threadAudit({
      auditFile: file,
      flushIntervalMs: 60000,
      thread: { hangTimeoutMs: HANG_MS },
    });
    logLeads(audit, 'S-', 0, 100);
    await audit.forceFlush(); // written and reported written
    logLeads(audit, 'S-', 100, 200);
    await untilEmitted(audit, 200);

    const { result: took, stderr } = await withStderr(() => timed(() => audit.shutdown()));
    expect(took).to.be.within(HANG_MS, HANG_MS + 2000);
    expect(stderr).to.match(/at shutdown and was stopped; 100 record\(s\) not known to be written/);
    // later calls resolve at once and count nothing more (a helper call is counted as after shutdown)
    expect(await timed(() => audit.shutdown())).to.be.below(HANG_MS);
    expect(await timed(() => audit.forceFlush())).to.be.below(HANG_MS);
    expect(() => audit.logLeadIngested('S-200', 'web', {}, 'wf')).to.not.throw();
    expect(outcomeOf(audit, file, 'S-')).to.deep.equal({ written: 100, lost: 100, worker: 1 });
    expect(audit.diagnostics.total('logger.after-shutdown')).to.equal(1);
  });

  it('does not make the process wait at exit for a worker already found hung: what it held is counted and said', async () => {
    const file = path.join(dir, 'exit.log');
    const child = spawn(process.execPath, [HUNG_EXIT_WRITER, file, '40', KEY.toString('hex')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let flushedAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (flushedAt === 0 && stdout.includes('flushed')) flushedAt = Date.now();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const exitTook = Date.now() - flushedAt;
    expect(code, stderr).to.equal(0);
    expect(stdout.trim(), 'the hang was found by the flush').to.equal('flushed 1');
    // exitWaitMs is 6000 in the child: the exit must not wait for the hung worker
    expect(exitTook).to.be.below(3000);
    const said = /was not waited for at exit; (\d+) record\(s\) not known to be written/.exec(stderr);
    expect(said, stderr).to.not.equal(null);
    expect(leadLines(file, 'HUNG-') + Number(said![1]), 'written + counted = calls').to.equal(40);
  });
});
