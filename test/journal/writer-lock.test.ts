/**
 * The journal's single-writer lock with real processes: a second writer (same process or another
 * one) fails at open with JournalLockedError; a SIGKILLed writer's lock is taken over and the
 * chain goes on verifying; closing (or exiting) releases it; readers need no lock. Whose a lock
 * found at open is (host, reused pid, boot): lock-owner.test.ts.
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JournalQuery } from '../../src/query/journal/journal-query.js';
import { JOURNAL_FAILURE } from '../../src/sinks/journal/journal-failures.js';
import { listJournal, readJournal, type JournalEntry } from '../../src/sinks/journal/reader.js';
import { openJournal } from '../../src/sinks/journal/open-journal.js';
import { startTicksOf } from '../../src/sinks/journal/process-identity.js';
import { ChainVerifier, type VerificationReport } from '../../src/entry/verify.js';
import { runBin } from '../cli/spawn.js';
import {
  emit,
  killChild,
  lockedErrorOf,
  lockOwnerIn,
  pipeline,
  startWriter,
  tempDir,
  TEST_KEYS,
  waitFor,
  type Pipeline,
} from './helpers.js';

const FLUSH_MS = 50;
const VERIFY_ENV = {
  AUDIT_VERIFY_KEYS: `k1:hex:${Buffer.from('journal-test-key-0123456789abcdef-0123456789').toString('hex')}`,
};

async function entriesOf(auditFile: string): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const e of readJournal(auditFile)) out.push(e);
  return out;
}

async function verify(auditFile: string): Promise<VerificationReport> {
  const verifier = new ChainVerifier(TEST_KEYS);
  for await (const e of readJournal(auditFile)) verifier.pushLine(e.line, e.location, e.torn);
  return verifier.finish();
}

const JOURNAL_MODULE = new URL('../../src/sinks/journal/open-journal.js', import.meta.url).href;
const FAILURES_MODULE = new URL('../../src/sinks/journal/journal-failures.js', import.meta.url).href;

/**
 * A child process that waits until `startAt` (ms since epoch), tries to open the journal once,
 * prints `OPENED` or the error's name, then how many stale locks it took over, and keeps running
 * (holding what it got).
 */
function contender(auditFile: string, startAt: number): { child: ChildProcess; result: Promise<string> } {
  const script = `
    const { openJournal } = await import(${JSON.stringify(JOURNAL_MODULE)});
    const { JOURNAL_FAILURE } = await import(${JSON.stringify(FAILURES_MODULE)});
    const { AuditDiagnostics } = await import(${JSON.stringify(new URL('../../src/events/diagnostics.js', import.meta.url).href)});
    while (Date.now() < ${startAt}) {}
    const diagnostics = new AuditDiagnostics();
    try {
      openJournal({ auditFile: ${JSON.stringify(auditFile)} }, diagnostics);
      console.log('OPENED ' + diagnostics.total(JOURNAL_FAILURE.staleLock));
    } catch (err) {
      console.log(err.name + ' ' + diagnostics.total(JOURNAL_FAILURE.staleLock));
    }
    setInterval(() => undefined, 60_000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const result = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('close', (code) => reject(new Error(`contender exited before reporting (${code})`)));
  });
  return { child, result };
}

describe('journal single-writer lock', function () {
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
    const p = pipeline({ auditFile, flushIntervalMs: FLUSH_MS });
    open.push(p);
    return p;
  };

  it('holds <auditFile>.lock with pid, host and start time; a second open in the same process fails at once', async () => {
    const auditFile = path.join(dir, 'logs', 'audit.log');
    const first = start(auditFile);
    expect(first.journal.lockPath).to.equal(auditFile + '.lock');
    const owner = await lockOwnerIn(first.journal.lockPath);
    expect(owner.pid).to.equal(process.pid);
    expect(owner.hostname).to.equal(os.hostname());
    expect(Date.parse(owner.startedAt)).to.be.at.most(Date.parse(owner.acquiredAt));
    expect(Date.now() - Date.parse(owner.acquiredAt)).to.be.within(0, 10_000);
    // Linux: the kernel's identity of this process, so a reused pid is told apart
    expect(owner.bootId).to.equal((await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim());
    expect(owner.startTicks)
      .to.equal(startTicksOf(await readFile('/proc/self/stat', 'utf8')))
      .and.match(/^\d+$/);

    // the same file under another spelling is the same journal
    const relative = path.relative(process.cwd(), auditFile);
    const err = lockedErrorOf(() => openJournal({ auditFile: relative }));
    expect(err.ownedByThisProcess).to.equal(true);
    expect(err.journalPath).to.equal(auditFile);
    expect(err.lockPath).to.equal(auditFile + '.lock');
    expect(err.message).to.include(auditFile).and.include(`pid ${process.pid}`).and.include('shut');

    // the first writer is untouched by the refused open
    emit(first.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    await first.journal.processor.forceFlush();
    expect((await entriesOf(auditFile)).length).to.equal(1);
    expect(first.diagnostics.total()).to.equal(0);
    expect(await lockOwnerIn(auditFile + '.lock')).to.deep.equal(owner);
  });

  it('releases the lock on shutdown, so a reopen works and continues the chain', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const first = pipeline({ auditFile, flushIntervalMs: FLUSH_MS });
    for (let i = 0; i < 3; i++) emit(first.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    await first.provider.shutdown();
    expect(existsSync(auditFile + '.lock')).to.equal(false);

    const second = start(auditFile);
    expect(second.diagnostics.total(JOURNAL_FAILURE.staleLock)).to.equal(0);
    expect(second.journal.previousHead()?.seq).to.equal(4); // 3 events + the shutdown seal
    emit(second.logger, { type: 'lead_qualified', leadId: 'LEAD-0' });
    await second.provider.shutdown();
    open = [];
    expect(existsSync(auditFile + '.lock')).to.equal(false);
    const report = await verify(auditFile);
    expect(report.status, report.summary).to.equal('clean');
    expect(report.streams.map((s) => s.status)).to.deep.equal(['clean', 'clean']);
  });

  it('refuses to open a journal that a live child process writes, and readers keep working meanwhile', async () => {
    const auditFile = path.join(dir, 'logs', 'audit.log');
    child = await startWriter(auditFile, 40, FLUSH_MS, 'idle');
    await waitFor(async () => (await entriesOf(auditFile).catch(() => [])).length === 40);

    const err = lockedErrorOf(() => openJournal({ auditFile }));
    expect(err.ownedByThisProcess).to.equal(false);
    expect(err.owner).to.include({ pid: child.pid, hostname: os.hostname() });
    expect(err.message)
      .to.include(auditFile)
      .and.include(`pid ${child.pid as number} on host ${os.hostname()}`)
      .and.include(`delete ${auditFile}.lock`);
    // the refused open wrote nothing and left the child's lock in place
    expect((await lockOwnerIn(auditFile + '.lock')).pid).to.equal(child.pid);
    expect((await readdir(path.dirname(auditFile))).sort()).to.deep.equal(['audit.log', 'audit.log.lock']);

    // readers: reader API, query API, the verifier, and audit-cli as a separate process
    expect((await listJournal(auditFile)).map((s) => s.name)).to.deep.equal(['audit.log']);
    expect((await new JournalQuery(auditFile).getStatistics()).totalEvents).to.equal(40);
    const live = await verify(auditFile);
    expect(live.recordsVerified).to.equal(40);
    expect(live.status, live.summary).to.equal('unsealed'); // a live writer's tail carries no seal yet
    const stats = await runBin(['--file', auditFile, 'stats', '--json']);
    expect(stats.code, stats.stderr).to.equal(0);
    expect(JSON.parse(stats.stdout)).to.include({ totalEvents: 40 });
    const integrity = await runBin(['--file', auditFile, 'integrity'], VERIFY_ENV);
    expect(integrity.code, integrity.stdout + integrity.stderr).to.equal(2);
    expect(integrity.stdout).to.include('40 record(s) verified');
    expect((await lockOwnerIn(auditFile + '.lock')).pid, 'readers took no lock').to.equal(child.pid);
  });

  it('takes over the lock of a SIGKILLed writer, counts it, and the chain keeps verifying', async () => {
    const auditFile = path.join(dir, 'audit.log');
    child = await startWriter(auditFile, 300, FLUSH_MS, 'idle'); // rotates at 0.05 MiB: gzip segments too
    const pid = child.pid as number;
    await waitFor(async () => (await entriesOf(auditFile).catch(() => [])).length === 300);
    await killChild(child);
    child = undefined;
    expect((await lockOwnerIn(auditFile + '.lock')).pid, 'SIGKILL leaves the lock behind').to.equal(pid);

    const reopened = start(auditFile);
    expect(reopened.diagnostics.total(JOURNAL_FAILURE.staleLock)).to.equal(1);
    const detail = reopened.diagnostics.snapshot().find((f) => f.kind === JOURNAL_FAILURE.staleLock)?.lastDetail;
    expect(detail).to.include(`pid ${pid}`).and.include('no longer runs');
    expect(await lockOwnerIn(auditFile + '.lock')).to.include({ pid: process.pid });
    expect(reopened.journal.previousHead()?.seq).to.equal(300);
    for (let i = 0; i < 5; i++) emit(reopened.logger, { type: 'lead_qualified', leadId: `LEAD-${i}` });
    await reopened.provider.shutdown();
    await reopened.journal.idle();
    open = [];

    const report = await verify(auditFile);
    expect(report.status, report.summary).to.equal('clean');
    expect(
      report.streams.map((s) => s.status),
      report.summary,
    ).to.deep.equal(['recovered', 'clean']);
    expect(report.recordsVerified).to.equal(300 + 5 + 1);
    expect((await entriesOf(auditFile)).some((e) => e.segment.kind === 'compressed')).to.equal(true);
    expect(existsSync(auditFile + '.lock')).to.equal(false);
  });

  it('releases the lock when the writer process exits without shutting down', async () => {
    const auditFile = path.join(dir, 'audit.log');
    child = await startWriter(auditFile, 20, FLUSH_MS, 'exit');
    await new Promise<void>((resolve) => (child?.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    expect(existsSync(auditFile + '.lock')).to.equal(false);
    expect((await entriesOf(auditFile)).length).to.equal(20);
    const next = start(auditFile);
    expect(next.diagnostics.total()).to.equal(0);
  });

  it('lets exactly one of several processes racing for a stale lock take it over', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(
      auditFile + '.lock',
      JSON.stringify({
        pid: dead,
        hostname: os.hostname(),
        startedAt: new Date().toISOString(),
        acquiredAt: new Date().toISOString(),
      }),
    );
    const startAt = Date.now() + 1500;
    const racers = Array.from({ length: 4 }, () => contender(auditFile, startAt));
    try {
      const results = await Promise.all(racers.map((r) => r.result));
      const opened = results.filter((r) => r.startsWith('OPENED'));
      expect(opened, results.join(', ')).to.have.length(1);
      expect(results.filter((r) => r.startsWith('JournalLockedError'))).to.have.length(3);
      // the stale lock was removed exactly once (not necessarily by the winner, who may have found it gone)
      expect(
        results.reduce((n, r) => n + Number(r.split(' ')[1]), 0),
        results.join(', '),
      ).to.equal(1);
      expect(existsSync(auditFile + '.lock.takeover')).to.equal(false);
      const winner = racers[results.indexOf(opened[0] as string)]?.child;
      expect((await lockOwnerIn(auditFile + '.lock')).pid).to.equal(winner?.pid);
    } finally {
      await Promise.all(racers.map((r) => killChild(r.child)));
    }
  });

  it('counts a lock that cannot be created and retries it before writing, without throwing', async () => {
    await writeFile(path.join(dir, 'not-a-dir'), 'x');
    const p = start(path.join(dir, 'not-a-dir', 'audit.log'));
    expect(p.diagnostics.total(JOURNAL_FAILURE.lock)).to.equal(1);
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    await p.journal.processor.forceFlush();
    expect(p.diagnostics.total(JOURNAL_FAILURE.write)).to.be.greaterThan(0);
    expect(p.journal.statistics().pendingLines).to.equal(1);
  });

  it('takes a lock it could not create at open before its first write, and writes only then', async () => {
    const auditFile = path.join(dir, 'audit.log');
    await mkdir(auditFile + '.lock'); // not a lock file: reading it fails (EISDIR), so opening cannot take the lock
    const p = start(auditFile);
    expect(p.diagnostics.total(JOURNAL_FAILURE.lock)).to.equal(1);
    await rmdir(auditFile + '.lock');
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    await p.journal.processor.forceFlush();
    expect(await lockOwnerIn(auditFile + '.lock')).to.include({ pid: process.pid });
    expect((await entriesOf(auditFile)).length).to.equal(1);
    expect(p.diagnostics.total(JOURNAL_FAILURE.write)).to.equal(0);
    await p.provider.shutdown();
    open = [];
    expect(existsSync(auditFile + '.lock')).to.equal(false);
  });

  it('readers take no lock', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = pipeline({ auditFile });
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    await p.provider.shutdown();
    await entriesOf(auditFile);
    await new JournalQuery(auditFile).getLeadHistory('LEAD-1');
    await verify(auditFile);
    expect(existsSync(auditFile + '.lock')).to.equal(false);
  });
});
