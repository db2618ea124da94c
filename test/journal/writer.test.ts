import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeJournalLine } from '../../src/record/journal-line.js';
import { JOURNAL_FAILURE } from '../../src/sinks/journal/journal-failures.js';
import { resolveJournalOptions } from '../../src/sinks/journal/options.js';
import { emit, pipelinesPerTest, waitFor } from './helpers.js';

describe('journal writer', () => {
  let dir: string;
  const start = pipelinesPerTest((d) => (dir = d));
  const lines = async (file: string): Promise<string[]> =>
    (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');

  it('appends one canonical signed line per record, chained in order', async () => {
    const auditFile = path.join(dir, 'logs', 'audit.log');
    const p = start({ auditFile });
    for (let i = 1; i <= 50; i++) emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    await p.journal.processor.forceFlush();
    const stored = await lines(auditFile);
    expect(stored).to.have.length(50);
    let prev = '';
    stored.forEach((line, i) => {
      const d = decodeJournalLine(line);
      if (!d.ok) throw new Error(`line ${i + 1} does not decode: ${d.error}`);
      expect(d.record.rec.seq).to.equal(i + 1);
      expect(d.record.rec.prev).to.equal(prev);
      expect(d.record.rec.attrs['orchestrator.lead.id']).to.equal(`LEAD-${i + 1}`);
      expect(d.record.rec.body).to.equal(`lead_ingested LEAD-${i + 1}`);
      prev = d.record.sig;
    });
    expect(p.journal.statistics().linesWritten).to.equal(50);
  });

  it('writes buffered records within the flush interval without an explicit flush', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = start({ auditFile, flushIntervalMs: 50 });
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    expect(p.journal.statistics().pendingLines).to.equal(1);
    await waitFor(async () => (await lines(auditFile).catch(() => [])).length === 1, 2000);
  });

  it('writes unsigned records in the record shape with an empty signature and counts them', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = start({ auditFile }, false);
    emit(p.logger, { type: 'crm_create', leadId: 'LEAD-9', attrs: { 'orchestrator.crm.id': 'C-1' } });
    await p.journal.processor.forceFlush();
    const [line] = await lines(auditFile);
    const d = decodeJournalLine(line as string);
    expect(d.ok).to.equal(true);
    if (d.ok) {
      expect(d.record.sig).to.equal('');
      expect(d.record.rec.kid).to.equal('');
      expect(d.record.rec.attrs['orchestrator.crm.id']).to.equal('C-1');
    }
    expect(p.diagnostics.total(JOURNAL_FAILURE.unsigned)).to.equal(1);
  });

  it('keeps unsigned records whose values JSON cannot carry, converted as the signer converts them', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = start({ auditFile }, false);
    const body: Record<string, unknown> = { note: 'loop', ratio: Number.NaN };
    body.self = body;
    p.logger.emit({
      eventName: 'orchestrator.custom',
      body: body as never,
      attributes: { 'orchestrator.lead.id': 'LEAD-7', blob: new Uint8Array([1, 2, 3]), z: 1, a: 2 },
    });
    await p.journal.processor.forceFlush();
    const [line] = await lines(auditFile);
    const d = decodeJournalLine(line as string);
    if (!d.ok) throw new Error(`the line does not decode: ${d.error}`);
    expect(d.record.rec.body).to.deep.equal({ note: 'loop', ratio: 'NaN', self: '[Circular]' });
    expect(d.record.rec.attrs).to.deep.equal({ a: 2, blob: 'base64:AQID', 'orchestrator.lead.id': 'LEAD-7', z: 1 });
    expect(d.record.rec.seq).to.equal(0);
    expect(p.diagnostics.total(JOURNAL_FAILURE.encode)).to.equal(0);
    expect(p.diagnostics.total(JOURNAL_FAILURE.unsigned)).to.equal(1);
  });

  it('writes at once, without yielding, when the buffer limit is reached: a working disk never overflows', async () => {
    const auditFile = path.join(dir, 'audit.log');
    const p = start({ auditFile, maxBufferBytes: 2000, flushAtBytes: 1e6, flushIntervalMs: 10_000 });
    for (let i = 0; i < 20; i++) emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    expect(p.diagnostics.total(JOURNAL_FAILURE.overflow)).to.equal(0);
    const written = p.journal.statistics().linesWritten;
    expect(written, 'written before the event loop ran').to.be.greaterThan(0);
    expect((await lines(auditFile)).length).to.equal(written);
    await p.journal.processor.forceFlush();
    expect((await lines(auditFile)).length).to.equal(20);
  });

  it('counts write failures without throwing and keeps the records for a retry', async () => {
    await writeFile(path.join(dir, 'not-a-dir'), 'x');
    const p = start({ auditFile: path.join(dir, 'not-a-dir', 'audit.log') });
    for (let i = 1; i <= 3; i++) emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    await p.journal.processor.forceFlush();
    expect(p.diagnostics.total(JOURNAL_FAILURE.write)).to.be.greaterThan(0);
    expect(p.journal.statistics().pendingLines).to.equal(3);
    await p.journal.processor.shutdown();
    expect(p.diagnostics.total(JOURNAL_FAILURE.lost), 'one per record not written').to.equal(3);
  });

  it('counts records emitted after shutdown', async () => {
    const p = start({ auditFile: path.join(dir, 'audit.log') });
    await p.journal.processor.shutdown();
    emit(p.logger, { type: 'lead_ingested', leadId: 'LEAD-1' });
    expect(p.diagnostics.total(JOURNAL_FAILURE.closed)).to.equal(1);
  });

  it('applies seed defaults and rejects nonsensical options', () => {
    const o = resolveJournalOptions();
    expect(o).to.include({
      auditFile: 'logs/audit.log',
      maxFileBytes: 50 * 1024 * 1024,
      retentionDays: 90,
      enableRotation: true,
      fsync: 'never',
      compress: true,
    });
    expect(() => resolveJournalOptions({ maxFileSizeMb: 0 })).to.throw(RangeError);
    expect(() => resolveJournalOptions({ fsync: 'always' as never })).to.throw(RangeError);
  });
});
