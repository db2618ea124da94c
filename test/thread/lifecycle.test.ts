/**
 * Thread mode around the edges of a logger's life: journal writes failing in the worker are
 * counted on the app thread and the records land once writing works again; shutdown twice, flush
 * and queries racing shutdown under a backlog, helper calls after shutdown: nothing hangs or
 * throws, queries see every record emitted before them, nothing is lost.
 */
import { expect } from 'chai';
import { readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../cli/fixture.js';
import { runBin } from '../cli/spawn.js';
import { mountTmpfs } from '../journal/tmpfs.js';
import { THREAD_TEST_KEY as KEY, logLeads, threadAudit } from './fixtures/worker-probe.js';

const VERIFY_ENV = { AUDIT_VERIFY_KEYS: `k1:hex:${KEY.toString('hex')}` };

describe('thread mode: failing journal and racing lifecycle calls', function () {
  this.timeout(10000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-thread-life-')));
  after(() => cleanup());

  it('counts journal write failures in the worker on the app thread; the records land once writes work', async () => {
    // the journal's directory is a regular file: every write fails (ENOTDIR) until it is removed
    const blocker = path.join(dir, 'blocked');
    writeFileSync(blocker, 'not a directory');
    const file = path.join(blocker, 'audit.log');
    const audit = threadAudit({
      auditFile: file,
      flushIntervalMs: 50,
      thread: true,
    });
    logLeads(audit, 'J-', 0, 300);
    await audit.forceFlush();
    expect(audit.diagnostics.total('journal.write')).to.be.at.least(1);
    await unlink(blocker);
    const found = await audit.queryEvents({ eventType: 'lead_ingested' });
    expect(found.map((e) => e.leadId)).to.deep.equal(Array.from({ length: 300 }, (_, i) => `J-${i}`));
    await audit.shutdown();
    expect(audit.diagnostics.total('thread.lost')).to.equal(0);
    const report = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
    expect(report.code, report.stdout + report.stderr).to.equal(0);
  });

  it('counts a full disk (ENOSPC on a 256 KiB tmpfs) in the worker on the app thread; every record lands once space is freed', async () => {
    const disk = path.join(dir, 'disk');
    const unmount = mountTmpfs(disk, 256);
    try {
      const file = path.join(disk, 'audit.log');
      const audit = threadAudit({
        auditFile: file,
        enableRotation: false,
        flushIntervalMs: 20,
        thread: true,
      });
      const { bsize, bavail } = statfsSync(disk);
      writeFileSync(path.join(disk, 'ballast'), Buffer.alloc(Math.max(0, bavail * bsize - 8192), 1));
      const note = 'n'.repeat(150);
      for (let i = 0; i < 300; i++) audit.logLeadIngested(`E-${i}`, 'web', { note }, 'wf');
      expect(() => audit.logError('DiskFull', 'still logging')).to.not.throw();
      await audit.forceFlush();
      expect(audit.diagnostics.total('journal.write')).to.be.at.least(1);
      await unlink(path.join(disk, 'ballast'));
      await audit.shutdown();
      const ids = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"E-'))
        .map((l) => Number(/"E-(\d+)"/.exec(l)![1]));
      expect(ids).to.deep.equal(Array.from({ length: 300 }, (_, i) => i));
      expect(audit.diagnostics.total('thread.lost')).to.equal(0);
      const report = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
      expect(report.code, report.stdout + report.stderr).to.equal(0);
    } finally {
      unmount();
    }
  });

  it("hands the whole backlog to the worker on flush and shutdown, beyond the helper calls' wait bound", async () => {
    const file = path.join(dir, 'backlog.log');
    // maxWaitMs bounds a helper call's wait; flush, queries and shutdown still wait for the backlog
    const audit = threadAudit({
      auditFile: file,
      thread: { ringBytes: 16384, maxWaitMs: 1 },
    });
    logLeads(audit, 'B-', 0, 3000);
    expect(await audit.queryEvents({ eventType: 'lead_ingested' })).to.have.length(3000);
    logLeads(audit, 'B-', 3000, 6000);
    await audit.shutdown();
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"B-')).length;
    expect({ lines, lost: audit.diagnostics.total('thread.lost') }).to.deep.equal({ lines: 6000, lost: 0 });
    expect(audit.getDiagnostics().thread).to.include({ queued: 0, lost: 0 });
  });

  it('settles shutdown twice, flushes and queries racing it under a backlog; later calls are counted', async () => {
    const file = path.join(dir, 'race.log');
    const audit = threadAudit({
      auditFile: file,
      thread: { ringBytes: 16384 },
    });
    // a query alone under a backlog (records still in the app thread's queue) sees all of them
    logLeads(audit, 'R-', 0, 1000);
    expect(audit.getDiagnostics().thread?.queued).to.be.greaterThan(0);
    expect(await audit.queryEvents({ eventType: 'lead_ingested' })).to.have.length(1000);
    logLeads(audit, 'R-', 1000, 2000);
    const before = audit.queryEvents({ eventType: 'lead_ingested' });
    const results = await Promise.allSettled([
      before,
      audit.shutdown(),
      audit.forceFlush(),
      audit.shutdown(),
      audit.loggerProvider.forceFlush(),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(Array(5).fill('fulfilled'));
    expect(await before).to.have.length(2000);
    expect(() => audit.logLeadIngested('R-after', 'web', {}, 'wf')).to.not.throw();
    await audit.forceFlush();
    await audit.shutdown();
    expect(audit.diagnostics.total('logger.after-shutdown')).to.equal(1);
    expect(audit.diagnostics.total('thread.lost')).to.equal(0);
    const ids = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"R-'))
      .map((l) => /"(R-[^"]+)"/.exec(l)![1]);
    expect(ids).to.deep.equal(Array.from({ length: 2000 }, (_, i) => `R-${i}`));
  });
});
