import { expect } from 'chai';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JOURNAL_FAILURE } from '../../src/sinks/journal/journal-failures.js';
import { listJournal, readJournal, type JournalEntry } from '../../src/sinks/journal/reader.js';
import type { StreamHead } from '../../src/record/stream-head.js';
import { ChainVerifier } from '../../src/entry/verify.js';
import { emit, pipeline, tempDir, TEST_KEYS } from './helpers.js';

describe('journal restart: previous stream head', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  async function lastHead(auditFile: string): Promise<StreamHead | undefined> {
    let head: StreamHead | undefined;
    for await (const e of readJournal(auditFile)) {
      if (e.decoded.ok)
        head = { stream: e.decoded.record.rec.stream, seq: e.decoded.record.rec.seq, sig: e.decoded.record.sig };
    }
    return head;
  }

  it('finds the head of the last stream across restarts, and in the newest segment when the active file is gone', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const first = pipeline({ auditFile, maxFileSizeMb: 0.004 });
    expect(first.journal.previousHead()).to.equal(undefined);
    for (let i = 0; i < 60; i++) emit(first.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    await first.provider.shutdown();
    const headOfFirst = await lastHead(auditFile);
    expect(headOfFirst?.seq).to.equal(61); // 60 records + the shutdown seal

    const second = pipeline({ auditFile, maxFileSizeMb: 0.004 });
    expect(second.journal.previousHead()).to.deep.equal(headOfFirst);
    for (let i = 0; i < 3; i++) emit(second.logger, { type: 'lead_routed', leadId: `LEAD-${i}` });
    await second.provider.shutdown();
    const headOfSecond = await lastHead(auditFile);
    expect(headOfSecond?.stream).to.equal(second.signer?.streamId);
    expect(headOfSecond?.seq).to.equal(4);
    // the new stream's first record links to the old head, and the whole journal verifies clean
    const entries: JournalEntry[] = [];
    for await (const e of readJournal(auditFile)) entries.push(e);
    const firstOfSecond = entries.find((e) => e.decoded.ok && e.decoded.record.rec.stream === second.signer?.streamId);
    expect(firstOfSecond?.decoded.ok && firstOfSecond.decoded.record.rec.attrs['audit.stream.previous']).to.deep.equal(
      headOfFirst,
    );
    const verifier = new ChainVerifier(TEST_KEYS);
    for (const e of entries) verifier.pushLine(e.line, e.location, e.torn);
    const report = verifier.finish();
    expect(report.status, report.summary).to.equal('clean');
    expect(report.recordsVerified).to.equal(65);

    // the active file lost (e.g. crash right after a rotation): the head comes from the newest segment
    const segments = (await listJournal(auditFile)).filter((seg) => seg.kind === 'compressed');
    const lastOfSegment = (name: string): StreamHead | undefined => {
      let head: StreamHead | undefined;
      for (const e of entries) {
        if (e.segment.name === name && e.decoded.ok)
          head = { stream: e.decoded.record.rec.stream, seq: e.decoded.record.rec.seq, sig: e.decoded.record.sig };
      }
      return head;
    };
    const newest = segments[segments.length - 1]?.name as string;
    const older = segments[segments.length - 2]?.name as string;
    await rm(auditFile);
    const third = pipeline({ auditFile });
    expect(third.journal.previousHead()).to.deep.equal(lastOfSegment(newest));
    await third.provider.shutdown();

    // a corrupt newest segment is skipped (and counted) in favour of the one before it
    await writeFile(path.join(dir, newest), 'garbage');
    const fourth = pipeline({ auditFile });
    expect(fourth.diagnostics.total(JOURNAL_FAILURE.read)).to.equal(1);
    expect(fourth.journal.previousHead()).to.deep.equal(lastOfSegment(older));
    await fourth.provider.shutdown();
  });
});
