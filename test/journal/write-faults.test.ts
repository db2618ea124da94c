import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LOSS_ATTR, LOSS_EVENT_NAME } from '../../src/record/record-kinds.js';
import { JOURNAL_FAILURE } from '../../src/sinks/journal/journal-failures.js';
import { readJournal, type JournalEntry } from '../../src/sinks/journal/reader.js';
import { ChainVerifier } from '../../src/entry/verify.js';
import { emit, killChild, pipeline, tempDir, TEST_KEYS, type Pipeline } from './helpers.js';
import { mountTmpfs } from './tmpfs.js';

async function entriesOf(auditFile: string): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const e of readJournal(auditFile)) out.push(e);
  return out;
}

function seqsOf(entries: readonly JournalEntry[]): number[] {
  return entries.map((e) => (e.decoded.ok ? e.decoded.record.rec.seq : -1));
}

async function verify(auditFile: string): Promise<ReturnType<ChainVerifier['finish']>> {
  const verifier = new ChainVerifier(TEST_KEYS);
  for await (const e of readJournal(auditFile)) verifier.pushLine(e.line, e.location, e.torn);
  return verifier.finish();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('journal under write faults', function () {
  this.timeout(30_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let p: Pipeline | undefined;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => {
    await p?.provider.shutdown();
    p = undefined;
    await cleanup();
  });

  /** A journal whose directory is a regular file: every write fails (ENOTDIR) until `unblock()`. */
  async function blockedJournal(options: {
    maxBufferBytes: number;
    flushIntervalMs: number;
  }): Promise<{ auditFile: string; unblock: () => Promise<void> }> {
    const blocker = path.join(dir, 'blocked');
    await writeFile(blocker, 'not a directory');
    const auditFile = path.join(blocker, 'audit.log');
    p = pipeline({ auditFile, ...options });
    return { auditFile, unblock: () => unlink(blocker) };
  }

  it('backs off while writes fail instead of retrying on every record', async () => {
    await blockedJournal({ maxBufferBytes: 2000, flushIntervalMs: 1000 });
    for (let i = 0; i < 2000; i++) emit(p!.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    expect(p!.diagnostics.total(JOURNAL_FAILURE.write)).to.be.within(1, 2);
    expect(p!.journal.statistics().failedWrites).to.equal(p!.diagnostics.total(JOURNAL_FAILURE.write));
    expect(p!.journal.statistics().overflowed).to.be.greaterThan(1900);
  });

  it('declares records dropped by a full buffer in one signed loss record once writing works again, before the shutdown seal', async () => {
    const { auditFile, unblock } = await blockedJournal({ maxBufferBytes: 4000, flushIntervalMs: 20 });
    for (let i = 1; i <= 60; i++) emit(p!.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    const overflowed = p!.journal.statistics().overflowed;
    expect(overflowed).to.be.within(30, 59);
    expect(p!.signer!.seal('manual'), 'a seal is buffered even when the buffer is full').to.equal(true);
    await unblock();
    await p!.provider.shutdown(); // the shutdown seal must survive the overflow, after the loss record
    p = undefined;

    const entries = await entriesOf(auditFile);
    const kept = 60 - overflowed;
    expect(seqsOf(entries)).to.deep.equal([...Array.from({ length: kept }, (_, i) => i + 1), 61, 62, 63]);
    expect(entries[kept]?.decoded.ok && entries[kept].decoded.record.rec.attrs['audit.seal.reason']).to.equal('manual');
    const loss = entries[kept + 1]?.decoded;
    if (!loss?.ok) throw new Error('no loss record');
    expect(loss.record.rec.event).to.equal(LOSS_EVENT_NAME);
    expect(loss.record.rec.attrs).to.include({
      [LOSS_ATTR.from]: kept + 1,
      [LOSS_ATTR.to]: 60,
      [LOSS_ATTR.count]: overflowed,
      [LOSS_ATTR.reason]: 'overflow',
    });
    expect(loss.record.rec.attrs[LOSS_ATTR.stream]).to.equal(loss.record.rec.stream);
    const seal = entries[kept + 2]?.decoded;
    expect(seal?.ok && seal.record.rec.attrs['audit.seal.reason']).to.equal('shutdown');
  });

  it('writes the loss record after the record whose append found writing working again (seq order kept)', async () => {
    const { auditFile } = await blockedJournal({ maxBufferBytes: 4000, flushIntervalMs: 1 });
    // all without yielding: the retry timer cannot run, the next append is the one that retries
    for (let i = 1; i <= 40; i++) emit(p!.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    expect(p!.journal.statistics().overflowed).to.be.greaterThan(0);
    unlinkSync(path.join(dir, 'blocked'));
    const until = Date.now() + 50;
    while (Date.now() < until); // past the back-off
    emit(p!.logger, { type: 'lead_ingested', leadId: 'LEAD-41' });
    await p!.provider.shutdown();
    p = undefined;
    const seqs = seqsOf(await entriesOf(auditFile));
    expect(seqs, 'strictly increasing').to.deep.equal([...seqs].sort((a, b) => a - b));
    const report = await verify(auditFile);
    expect(report.exitCode, report.summary).to.equal(4);
  });

  describe('disk full (256 KiB tmpfs)', () => {
    let disk: string;
    let unmount: () => void;
    beforeEach(() => {
      disk = path.join(dir, 'disk');
      unmount = mountTmpfs(disk, 256);
    });
    afterEach(async () => {
      await p?.provider.shutdown();
      p = undefined;
      unmount();
    });

    it('resumes a write the disk took only part of at the byte where it stopped: no duplicate, no broken line, verifies clean', async () => {
      const auditFile = path.join(disk, 'audit.log');
      p = pipeline({ auditFile, enableRotation: false, flushIntervalMs: 20, flushAtBytes: 2048 });
      fillDisk(disk, 2 * 4096 + 100);
      let emitted = 0;
      while (p.journal.statistics().failedWrites === 0) {
        if (emitted > 5000) throw new Error('the tmpfs never filled up');
        emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${++emitted}`, message: 'x'.repeat(200) });
      }
      const torn = await readFile(auditFile);
      expect(torn.length, 'the disk took part of a batch').to.be.greaterThan(0);
      expect(torn[torn.length - 1], 'the file ends inside a line').to.not.equal(0x0a);
      for (let i = 0; i < 100; i++) emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${++emitted}` });
      await sleep(100); // a retry or two, still failing
      await unlink(path.join(disk, 'ballast'));
      await p.provider.shutdown();
      p = undefined;

      const entries = await entriesOf(auditFile);
      expect(entries.filter((e) => !e.decoded.ok).map((e) => e.location)).to.deep.equal([]);
      expect(seqsOf(entries)).to.deep.equal(Array.from({ length: emitted + 1 }, (_, i) => i + 1));
      const report = await verify(auditFile);
      expect(report.status, report.summary).to.equal('clean');
      expect(report.exitCode).to.equal(0);
    });

    it('removes the partial .gz.tmp of a compression that ran out of space, and verifies clean after space is freed', async () => {
      const auditFile = path.join(disk, 'audit.log');
      p = pipeline({ auditFile, maxFileSizeMb: 0.01, flushIntervalMs: 10_000, flushAtBytes: 2048 });
      let emitted = 0;
      // synchronously: the rotation's compression has not started when the disk fills up
      while (p.journal.statistics().rotations === 0)
        emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${++emitted}` });
      fillDisk(disk, 0);
      await p.journal.idle();
      expect(p.diagnostics.total(JOURNAL_FAILURE.compress), 'compression ran out of space').to.be.greaterThan(0);
      expect((await readdir(disk)).filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);
      await unlink(path.join(disk, 'ballast'));
      for (let i = 0; i < 100; i++) emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${++emitted}` });
      await p.provider.shutdown();
      p = undefined;
      const names = await readdir(disk);
      expect(
        names.filter((n) => n.endsWith('.tmp')),
        names.join(' '),
      ).to.deep.equal([]);
      expect(seqsOf(await entriesOf(auditFile))).to.deep.equal(Array.from({ length: emitted + 1 }, (_, i) => i + 1));
      const report = await verify(auditFile);
      expect(report.status, report.summary).to.equal('clean');
    });
  });
});

/** Fills the file system of `dir` with a `ballast` file until `leaveBytes` (rounded down to blocks) remain free. */
function fillDisk(dir: string, leaveBytes: number): void {
  const { bsize, bavail } = statfsSync(dir);
  const size = Math.max(0, bavail * bsize - leaveBytes);
  writeFileSync(path.join(dir, 'ballast'), Buffer.alloc(size, 1));
}

const SPIN_FIXTURE = fileURLToPath(new URL('./fixtures/spin-writer.js', import.meta.url));

describe('journal of a process that never yields, SIGKILLed', function () {
  this.timeout(30_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let child: ChildProcess | undefined;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => {
    if (child) await killChild(child);
    child = undefined;
    await cleanup();
  });

  /** Runs the spinning writer until it reported `until` events, SIGKILLs it and returns its reports `[emitted, time]`. */
  async function spinAndKill(
    auditFile: string,
    flushIntervalMs: number,
    flushAtBytes: number,
    until: number,
  ): Promise<[number, number][]> {
    await mkdir(path.dirname(auditFile), { recursive: true });
    child = spawn(process.execPath, [SPIN_FIXTURE, auditFile, String(flushIntervalMs), String(flushAtBytes)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const reports: [number, number][] = [];
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const [n, t] = line.split(' ').map(Number) as [number, number];
      reports.push([n, t]);
      if (n >= until) child?.kill('SIGKILL');
    });
    await new Promise<void>((resolve) => child!.once('close', () => resolve()));
    expect(child.signalCode).to.equal('SIGKILL');
    child = undefined;
    return reports;
  }

  it('writes at once when the buffer passes flushAtBytes, without yielding: SIGKILL loses at most that much', async () => {
    const auditFile = path.join(dir, 'logs', 'audit.log');
    const flushAtBytes = 64 * 1024;
    const reports = await spinAndKill(auditFile, 60_000, flushAtBytes, 6_000);
    const reported = reports[reports.length - 1]![0];
    const entries = await entriesOf(auditFile);
    const seqs = seqsOf(entries).filter((s) => s > 0);
    expect(seqs).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const shortest = Math.min(...entries.filter((e) => e.decoded.ok).map((e) => e.line.length + 1));
    // every event the child reported before it was killed is on disk, but at most one buffer's worth
    expect(reported - seqs.length, `${reported} reported, ${seqs.length} on disk`).to.be.at.most(
      Math.ceil(flushAtBytes / shortest),
    );
  });

  it('writes records older than flushIntervalMs from the next emit, without yielding: SIGKILL loses only the last interval', async () => {
    const auditFile = path.join(dir, 'logs', 'audit.log');
    const interval = 100;
    const reports = await spinAndKill(auditFile, interval, 64 * 1024 * 1024, 15_000);
    const lastTime = reports[reports.length - 1]![1];
    // events the child reported at least one interval before its last report, plus a margin for the
    // child being descheduled between an emit and its report on a loaded machine
    const old = reports.filter(([, t]) => t <= lastTime - interval - 40);
    expect(old.length, 'the child ran for more than one interval').to.be.greaterThan(0);
    const mustHave = old[old.length - 1]![0];
    const seqs = seqsOf(await entriesOf(auditFile)).filter((s) => s > 0);
    expect(seqs.length, `${mustHave} events were older than the interval`).to.be.at.least(mustHave);
    expect(seqs).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });
});
