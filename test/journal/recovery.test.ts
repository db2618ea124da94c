import { expect } from 'chai';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JOURNAL_FAILURE, listJournal, readJournal } from '../../src/sinks/journal/index.js';
import type { StreamHead } from '../../src/sinks/journal-service.js';
import { emit, pipeline, tempDir } from './helpers.js';

describe('journal restart: previous stream head', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  async function lastHead(auditFile: string): Promise<StreamHead | undefined> {
    let head: StreamHead | undefined;
    for await (const e of readJournal(auditFile)) {
      if (e.decoded.ok) head = { stream: e.decoded.record.rec.stream, seq: e.decoded.record.rec.seq, sig: e.decoded.record.sig };
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
    expect(headOfFirst?.seq).to.equal(60);

    const second = pipeline({ auditFile, maxFileSizeMb: 0.004 });
    expect(second.journal.previousHead()).to.deep.equal(headOfFirst);
    expect(second.signer?.previous).to.deep.equal(headOfFirst);
    for (let i = 0; i < 3; i++) emit(second.logger, { type: 'lead_routed', leadId: `LEAD-${i}` });
    await second.provider.shutdown();
    const headOfSecond = await lastHead(auditFile);
    expect(headOfSecond?.stream).to.equal(second.signer?.stream);
    expect(headOfSecond?.seq).to.equal(3);

    // the active file lost (e.g. crash right after a rotation): the head comes from the newest segment
    const names = (await listJournal(auditFile)).filter((s) => s.kind === 'compressed').map((s) => s.name);
    await rm(auditFile);
    const third = pipeline({ auditFile });
    const fromSegment = third.journal.previousHead();
    expect(fromSegment?.stream).to.equal(headOfFirst?.stream);
    await third.provider.shutdown();

    // a corrupt newest segment is skipped (and counted) in favour of the one before it
    await writeFile(path.join(dir, names[names.length - 1] as string), 'garbage');
    const fourth = pipeline({ auditFile });
    expect(fourth.diagnostics.total(JOURNAL_FAILURE.read)).to.equal(1);
    expect(fourth.journal.previousHead()?.stream).to.equal(headOfFirst?.stream);
    expect(fourth.journal.previousHead()?.seq).to.be.lessThan(fromSegment?.seq as number);
    await fourth.provider.shutdown();
  });
});
