/**
 * Whose is a lock file the journal finds at open: a live writer's (refused, named), or a dead
 * one's (taken over, counted) — told apart by host, pid, the pid's start time in the kernel and
 * the boot id, so that a pid reused after a crash or a restarted container does not keep the
 * journal locked, and a lock file still being written is not taken over.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JOURNAL_FAILURE } from '../../src/sinks/journal/journal-failures.js';
import { openJournal } from '../../src/sinks/journal/open-journal.js';
import { processIdentity, startTicksOf, type ProcessIdentity } from '../../src/sinks/journal/process-identity.js';
import { killChild, lockedErrorOf, lockOwnerIn, pipeline, tempDir, waitFor, type Pipeline } from './helpers.js';

/** The kernel identity of the just-spawned process `pid` (its /proc entry can lag the spawn by a moment). */
async function waitForIdentity(pid: number): Promise<ProcessIdentity> {
  let identity: ProcessIdentity | undefined;
  await waitFor(async () => (identity = processIdentity(pid)) !== undefined);
  return identity as ProcessIdentity;
}

describe('startTicksOf', () => {
  it('reads field 22 of /proc/<pid>/stat, counting fields after the command name even when it holds ") "', () => {
    const tail = 'S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 21 22';
    expect(startTicksOf(`42 (node) ${tail}`)).to.equal('987654');
    expect(startTicksOf(`42 (we) ird) name) ${tail}`)).to.equal('987654');
    expect(startTicksOf('42 (node) S 1 2')).to.equal(undefined);
    expect(startTicksOf('garbage')).to.equal(undefined);
  });
});

describe('journal lock owners', function () {
  this.timeout(30_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let open: Pipeline[] = [];
  let child: ChildProcess | undefined;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => {
    if (child) await killChild(child);
    child = undefined;
    for (const p of open) await p.provider.shutdown();
    open = [];
    await cleanup();
  });
  const start = (auditFile: string): Pipeline => {
    const p = pipeline({ auditFile, flushIntervalMs: 50 });
    open.push(p);
    return p;
  };

  it('refuses a lock held on another host, and names that host', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const lock = {
      pid: process.pid,
      hostname: `not-${os.hostname()}`,
      startedAt: '2026-01-01T00:00:00.000Z',
      acquiredAt: '2026-01-01T00:00:01.000Z',
    };
    await writeFile(auditFile + '.lock', JSON.stringify(lock));
    const err = lockedErrorOf(() => openJournal({ auditFile }));
    expect(err.owner).to.deep.equal(lock);
    expect(err.message).to.include(`on host not-${os.hostname()}`).and.include('another host');
    expect(await lockOwnerIn(auditFile + '.lock')).to.deep.equal(lock);
  });

  it('takes over a lock naming this pid from an earlier process start (a restarted container)', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const earlier = new Date(Date.now() - process.uptime() * 1000 - 3_600_000).toISOString();
    await writeFile(
      auditFile + '.lock',
      JSON.stringify({ pid: process.pid, hostname: os.hostname(), startedAt: earlier, acquiredAt: earlier }),
    );
    const p = start(auditFile);
    expect(p.diagnostics.total(JOURNAL_FAILURE.staleLock)).to.equal(1);
    expect(Date.parse((await lockOwnerIn(auditFile + '.lock')).startedAt)).to.be.greaterThan(Date.parse(earlier));
  });

  it('takes over a lock whose pid is alive but now another process (pid reused after a crash)', async () => {
    const auditFile = path.join(dir, 'audit.log');
    child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 60_000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const real = await waitForIdentity(pid);
    const lock = {
      pid,
      hostname: os.hostname(),
      startedAt: '2026-01-01T00:00:00.000Z',
      acquiredAt: '2026-01-01T00:00:00.000Z',
      bootId: real.bootId,
      startTicks: String(BigInt(real.startTicks) - 1n),
    };
    await writeFile(auditFile + '.lock', JSON.stringify(lock));
    const p = start(auditFile);
    expect(p.diagnostics.total(JOURNAL_FAILURE.staleLock)).to.equal(1);
    expect(p.diagnostics.snapshot().find((f) => f.kind === JOURNAL_FAILURE.staleLock)?.lastDetail)
      .to.include(`pid ${pid}`)
      .and.include('pid reused');
    expect((await lockOwnerIn(auditFile + '.lock')).pid).to.equal(process.pid);
    expect(child.exitCode, 'the unrelated process is left alone').to.equal(null);
  });

  it('refuses a lock whose live pid has the recorded start time, and takes over one from before the last boot', async () => {
    const auditFile = path.join(dir, 'audit.log');
    child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 60_000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const real = await waitForIdentity(pid);
    const live = {
      pid,
      hostname: os.hostname(),
      startedAt: '2026-01-01T00:00:00.000Z',
      acquiredAt: '2026-01-01T00:00:00.000Z',
      bootId: real.bootId,
      startTicks: real.startTicks,
    };
    await writeFile(auditFile + '.lock', JSON.stringify(live));
    expect(lockedErrorOf(() => openJournal({ auditFile })).owner).to.deep.equal(live);

    const beforeBoot = { ...live, bootId: '00000000-0000-4000-8000-000000000000' };
    await writeFile(auditFile + '.lock', JSON.stringify(beforeBoot));
    const p = start(auditFile);
    expect(p.diagnostics.snapshot().find((f) => f.kind === JOURNAL_FAILURE.staleLock)?.lastDetail).to.include('booted');
    expect((await lockOwnerIn(auditFile + '.lock')).pid).to.equal(process.pid);
  });

  it('waits for a lock file still being written, and takes over one left empty by a crash', async () => {
    const auditFile = path.join(dir, 'audit.log');
    await writeFile(auditFile + '.lock', '');
    const err = lockedErrorOf(() => openJournal({ auditFile }));
    expect(err.owner).to.equal(undefined);
    expect(err.message).to.include('names no owner');

    const old = new Date(Date.now() - 60_000);
    await utimes(auditFile + '.lock', old, old);
    const p = start(auditFile);
    expect(p.diagnostics.total(JOURNAL_FAILURE.staleLock)).to.equal(1);
    expect(await lockOwnerIn(auditFile + '.lock')).to.include({ pid: process.pid });
  });
});
