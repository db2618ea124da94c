import { expect } from 'chai';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { JournalQuery, liveJournalQuery } from '../../src/query/journal/journal-query.js';
import { JournalLayout } from '../../src/sinks/journal/layout.js';
import { JournalNotFoundError, JournalReadError } from '../../src/sinks/journal/errors.js';
import { listJournal, readJournal, type JournalEntry, type JournalProgress } from '../../src/sinks/journal/reader.js';
import { openJournal } from '../../src/sinks/journal/open-journal.js';
import { looksTorn } from '../../src/sinks/journal/reader.js';
import { emit, pipeline, tempDir } from './helpers.js';

async function collect(iter: AsyncIterable<JournalEntry>): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const e of iter) out.push(e);
  return out;
}

describe('journal reader', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('reports a missing journal with JournalNotFoundError', async () => {
    const auditFile = path.join(dir, 'nowhere', 'audit.log');
    let caught: unknown;
    try {
      await collect(readJournal(auditFile));
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(JournalNotFoundError);
    expect((caught as Error).message).to.contain(auditFile);
    await listJournal(auditFile).then(
      () => expect.fail('listJournal should reject'),
      (err: unknown) => expect(err).to.be.instanceOf(JournalNotFoundError),
    );
    await new JournalQuery(auditFile).getStatistics().then(
      () => expect.fail('a query over a missing journal should reject'),
      (err: unknown) => expect(err).to.be.instanceOf(JournalNotFoundError),
    );
  });

  it('reads a journal not yet written as empty through the opened service', async () => {
    const journal = openJournal({ auditFile: path.join(dir, 'fresh', 'audit.log') });
    expect(journal.previousHead()).to.equal(undefined);
    expect((await liveJournalQuery(journal).getStatistics()).totalEvents).to.equal(0);
    await journal.processor.shutdown();
  });

  it('reports an unreadable journal location with JournalReadError', async () => {
    await writeFile(path.join(dir, 'logs'), 'a file where the journal directory should be');
    const err = await listJournal(path.join(dir, 'logs', 'audit.log')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(JournalReadError);
    expect((err as JournalReadError).code).to.equal('ENOTDIR');
  });

  it('reports a corrupt gzip segment with its location, or goes on past it when asked', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const layout = new JournalLayout(auditFile);
    const bad = layout.segmentName(new Date(Date.now() - 7_200_000), 0) + '.gz';
    const good = layout.segmentName(new Date(Date.now() - 3_600_000), 0) + '.gz';
    const corrupt = gzipSync('first\nsecond\n'.repeat(50));
    corrupt.fill(0x41, 20, 40);
    await writeFile(path.join(dir, bad), corrupt);
    await writeFile(path.join(dir, good), gzipSync('ok\n'));
    await writeFile(auditFile, 'active\n');
    const err = await collect(readJournal(auditFile)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(JournalReadError);
    expect((err as JournalReadError).location).to.contain(bad);
    const errors: JournalReadError[] = [];
    const lines = (await collect(readJournal(auditFile, { onFileError: (e) => errors.push(e) }))).map((e) => e.line);
    expect(lines.slice(-2)).to.deep.equal(['ok', 'active']);
    expect(errors).to.have.length(1);
  });

  it('reads empty files, flags a torn last line and reports progress', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = pipeline({ auditFile });
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-2' });
    await p.provider.shutdown();
    const layout = new JournalLayout(auditFile);
    await writeFile(path.join(dir, layout.segmentName(new Date(Date.now() - 60_000), 0)), '');
    await writeFile(auditFile, '{"rec":{"attrs":{', { flag: 'a' });
    const progress: JournalProgress[] = [];
    const entries = await collect(readJournal(auditFile, { onProgress: (pr) => progress.push(pr) }));
    // two records, the shutdown seal, the torn line
    expect(entries.map((e) => [e.decoded.ok, e.torn])).to.deep.equal([
      [true, false],
      [true, false],
      [true, false],
      [false, true],
    ]);
    expect(entries[3]?.location).to.equal(`${auditFile}:4`);
    const last = progress[progress.length - 1] as JournalProgress;
    expect(last.bytesRead).to.equal(last.totalBytes);
    expect(last.totalBytes).to.be.greaterThan(0);
  });

  it('reports text appended after the last record as malformed, not torn, unless it looks like an interrupted write', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = pipeline({ auditFile });
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    await p.provider.shutdown();
    const clean = await readFile(auditFile, 'utf8');
    const tornness = async (tail: string): Promise<[boolean, boolean]> => {
      await writeFile(auditFile, clean + tail);
      const last = (await collect(readJournal(auditFile))).pop() as JournalEntry;
      return [last.decoded.ok, last.torn];
    };
    expect(await tornness('garbage\n')).to.deep.equal([false, false]);
    expect(await tornness('garbage')).to.deep.equal([false, false]);
    expect(await tornness('{"forged":true\n')).to.deep.equal([false, false]);
    expect(await tornness('{"rec":{"attrs":{"orchestrator.lead.id":"LE\n')).to.deep.equal([false, true]);
    expect(await tornness('{"re')).to.deep.equal([false, true]);
    expect(await tornness('\u0000\u0000\u0000\u0000\n')).to.deep.equal([false, true]);
    expect(looksTorn('')).to.equal(false);
  });

  it('does not mistake an edited line in the middle of a stream for a torn one', async () => {
    const auditFile = path.join(dir, 'audit.log');
    await mkdir(dir, { recursive: true });
    const p = pipeline({ auditFile });
    for (let i = 0; i < 3; i++) emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    await p.provider.shutdown();
    const entries = await collect(readJournal(auditFile));
    const lines = entries.map((e) => e.line);
    lines[1] = (lines[1] as string).slice(0, 30);
    const edited = lines.join('\n') + '\n';
    await writeFile(auditFile, edited);
    const again = await collect(readJournal(auditFile));
    expect(again.map((e) => e.torn)).to.deep.equal([false, false, false, false]);
    expect(again[1]?.decoded.ok).to.equal(false);
  });
});
