import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeJournalLine } from '../../src/record/journal-line.js';
import { JOURNAL_FAILURE } from '../../src/sinks/journal/journal-failures.js';
import { readJournal, type JournalEntry } from '../../src/sinks/journal/reader.js';
import { ChainVerifier } from '../../src/entry/verify.js';
import { emit, killChild, pipeline, startWriter, tempDir, TEST_KEYS, type Pipeline } from './helpers.js';

const FLUSH_MS = 100;

async function entriesOf(auditFile: string): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const e of readJournal(auditFile)) out.push(e);
  return out;
}

describe('journal crash safety (SIGKILLed writer process)', function () {
  this.timeout(30_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let child: ChildProcess | undefined;
  let reopened: Pipeline | undefined;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => {
    if (child) await killChild(child);
    child = undefined;
    await reopened?.provider.shutdown();
    reopened = undefined;
    await cleanup();
  });

  it('keeps every record older than the flush interval, reports a torn tail and continues on a new line and stream', async () => {
    const auditFile = path.join(dir, 'logs', 'audit.log');
    child = await startWriter(auditFile, 300, FLUSH_MS, 'idle');
    await new Promise((r) => setTimeout(r, FLUSH_MS * 6));
    await killChild(child);

    const survived = await entriesOf(auditFile);
    expect(survived.map((e) => e.decoded.ok && e.decoded.record.rec.seq)).to.deep.equal(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    const last = survived[299]?.decoded;
    if (!last?.ok) throw new Error('last record missing');

    // SIGKILL leaves page-cache writes whole; a power loss can tear the last write. Simulate that tear.
    const fragment = (await readFile(auditFile, 'utf8')).split('\n')[0]?.slice(0, 57) as string;
    await appendFile(auditFile, fragment);

    reopened = pipeline({ auditFile, flushIntervalMs: FLUSH_MS });
    expect(reopened.diagnostics.total(JOURNAL_FAILURE.tornLine)).to.equal(1);
    expect(reopened.journal.inspection.tornTail?.length).to.equal(57);
    expect(reopened.journal.previousHead()).to.deep.equal({
      stream: last.record.rec.stream,
      seq: 300,
      sig: last.record.sig,
    });
    for (let i = 0; i < 5; i++) emit(reopened.logger, { type: 'lead_qualified', leadId: `LEAD-${i}` });
    await reopened.journal.processor.forceFlush();

    const after = await entriesOf(auditFile);
    expect(after).to.have.length(306);
    const torn = after[300] as JournalEntry;
    expect(torn.torn).to.equal(true);
    expect(torn.line).to.equal(fragment);
    const activeLinesBefore = after.slice(0, 300).filter((e) => e.segment.kind === 'active').length;
    expect(torn.location).to.equal(`${path.join(dir, 'logs', 'audit.log')}:${activeLinesBefore + 1}`);
    expect(
      after.some((e) => e.segment.kind === 'compressed'),
      'the child rotated and compressed segments',
    ).to.equal(true);
    const next = after[301]?.decoded;
    if (!next?.ok) throw new Error('the record after the torn line does not decode');
    expect(next.record.rec.seq).to.equal(1);
    expect(next.record.rec.stream).to.not.equal(last.record.rec.stream);
    expect(after.filter((e) => !e.decoded.ok)).to.have.length(1);

    // the chain verifier sees a crash and a restart, not tampering
    await reopened.provider.shutdown();
    const verifier = new ChainVerifier(TEST_KEYS);
    for await (const e of readJournal(auditFile)) verifier.pushLine(e.line, e.location, e.torn);
    const report = verifier.finish();
    expect(report.tornLines).to.deep.equal([torn.location]);
    expect(
      report.streams.map((st) => st.status),
      report.summary,
    ).to.deep.equal(['recovered', 'clean']);
    expect(report.status, report.summary).to.not.equal('tampered');
    reopened = undefined;
  });

  it('leaves a journal that reads cleanly (except at most a torn last line) when killed mid-flood', async () => {
    const auditFile = path.join(dir, 'audit.log');
    child = await startWriter(auditFile, 100, FLUSH_MS, 'flood');
    await new Promise((r) => setTimeout(r, FLUSH_MS * 5));
    await killChild(child);
    const entries = await entriesOf(auditFile);
    expect(entries.length).to.be.greaterThan(100);
    const bad = entries.filter((e) => !e.decoded.ok);
    expect(bad.length).to.be.at.most(1);
    if (bad.length === 1) expect(bad[0]?.torn && bad[0] === entries[entries.length - 1]).to.equal(true);
    const seqs = entries.filter((e) => e.decoded.ok).map((e) => (e.decoded.ok ? e.decoded.record.rec.seq : 0));
    expect(seqs).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => i + 1));
    reopened = pipeline({ auditFile });
    expect(reopened.journal.previousHead()?.seq).to.equal(seqs[seqs.length - 1]);
    emit(reopened.logger, { type: 'workflow_started' });
    await reopened.journal.processor.forceFlush();
    const last = (await entriesOf(auditFile)).pop();
    expect(last?.decoded.ok && decodeJournalLine(last.line).ok).to.equal(true);
  });

  it('writes what is still buffered when the process exits without shutting down', async () => {
    const auditFile = path.join(dir, 'audit.log');
    child = await startWriter(auditFile, 50, FLUSH_MS, 'exit');
    await new Promise<void>((resolve) => (child?.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    const entries = await entriesOf(auditFile);
    expect(entries.map((e) => e.decoded.ok && e.decoded.record.rec.seq)).to.deep.equal(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });
});
