/**
 * Accounted loss: a journal whose writer dropped records while its disk failed and declared them
 * in a signed loss record verifies as `accounted-loss` (exit 4), distinct from tampering; every
 * way of faking or stretching such a declaration stays tampering (exit 1).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { decodeJournalLine, journalLineOf } from '../../src/record/journal-line.js';
import { LOSS_ATTR, LOSS_EVENT_NAME } from '../../src/record/record-kinds.js';
import { canonicalContent } from '../../src/record/audit-record.js';
import { judgeGaps } from '../../src/verify/loss-accounting.js';
import { ChainVerifier, exitCodeOf, statusOf, type VerificationReport } from '../../src/entry/verify.js';
import { cli } from '../cli/fixture.js';
import { emit, pipeline, tempDir, TEST_KEYS } from '../journal/helpers.js';

const TEST_KEY_HEX = Buffer.from('journal-test-key-0123456789abcdef-0123456789').toString('hex');

function verifyLines(lines: readonly string[], keys = TEST_KEYS): VerificationReport {
  const verifier = new ChainVerifier(keys);
  lines.forEach((line, i) => verifier.pushLine(line, `audit.log:${i + 1}`));
  return verifier.finish();
}

describe('accounted loss (signed loss records)', function () {
  this.timeout(20_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let auditFile: string;
  let original: string[];
  let kept: number;
  let lossIndex: number;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    // every write fails (the journal's directory is a regular file) until it is removed
    const blocker = path.join(dir, 'blocked');
    await writeFile(blocker, 'not a directory');
    auditFile = path.join(blocker, 'audit.log');
    const p = pipeline({ auditFile, maxBufferBytes: 4000, flushIntervalMs: 20 });
    for (let i = 1; i <= 60; i++) emit(p.logger, { type: 'lead_ingested', leadId: `LEAD-${i}` });
    kept = 60 - p.journal.statistics().overflowed;
    await unlink(blocker);
    await p.provider.shutdown();
    original = readFileSync(auditFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    lossIndex = original.findIndex((l) => l.includes(`"event":"${LOSS_EVENT_NAME}"`));
    expect(lossIndex, 'the journal holds a loss record').to.equal(kept);
  });
  after(() => cleanup());

  it('reports the declared gap as accounted-loss, not missing: status accounted-loss, exit 4, streams clean', () => {
    const report = verifyLines(original);
    expect(report.status, report.summary).to.equal('accounted-loss');
    expect(report.exitCode).to.equal(4);
    expect(report.countsByClass).to.deep.equal({ 'accounted-loss': 1 });
    expect(report.findings[0]).to.include({ class: 'accounted-loss', seq: kept + 1, seqTo: 60 });
    expect(report.streams[0]).to.include({ status: 'clean', sealed: true, findings: 0, lost: 60 - kept });
  });

  it('a gap without its loss record (the loss record deleted) is missing: exit 1', () => {
    const report = verifyLines(original.filter((_, i) => i !== lossIndex));
    expect(report.status).to.equal('tampered');
    expect(report.exitCode).to.equal(1);
    expect(report.countsByClass['accounted-loss']).to.equal(undefined);
    expect(report.findings.some((f) => f.class === 'missing' && f.seq === kept + 1)).to.equal(true);
  });

  it('a record deleted next to the declared gap is missing (exit 1); the declared part stays accounted', () => {
    const report = verifyLines(original.filter((_, i) => i !== kept - 1));
    expect(report.exitCode, report.summary).to.equal(1);
    expect(report.findings.find((f) => f.class === 'missing')).to.include({ seq: kept, seqTo: kept });
    expect(report.findings.find((f) => f.class === 'accounted-loss')).to.include({ seq: kept + 1, seqTo: 60 });
  });

  it('more records missing inside a declared range than the loss record counts are missing, not accounted', () => {
    const claim = { stream: 's', from: 10, to: 20, count: 5, reason: 'overflow', location: 'audit.log:30' };
    const judged = judgeGaps(
      [
        { from: 10, to: 13 },
        { from: 15, to: 16 },
      ],
      [claim],
    );
    expect(judged.every((g) => g.claim === undefined && /declares only 5/.test(g.excess ?? ''))).to.equal(true);
    const fits = judgeGaps(
      [
        { from: 10, to: 12 },
        { from: 15, to: 16 },
        { from: 25, to: 25 },
      ],
      [claim],
    );
    expect(fits.map((g) => [g.from, g.to, g.claim !== undefined])).to.deep.equal([
      [10, 12, true],
      [15, 16, true],
      [25, 25, false],
    ]);
    const straddles = judgeGaps([{ from: 8, to: 11 }], [claim]);
    expect(straddles.map((g) => [g.from, g.to, g.claim !== undefined])).to.deep.equal([
      [8, 9, false],
      [10, 11, true],
    ]);
  });

  it('a loss record signed with another key does not account for anything: exit 1', () => {
    const decoded = decodeJournalLine(original[lossIndex] as string);
    if (!decoded.ok) throw new Error('loss line does not decode');
    const rec = { ...decoded.record.rec, attrs: { ...decoded.record.rec.attrs, [LOSS_ATTR.from]: 1 } };
    const forger = keyringOf({ k1: Buffer.from('not-the-key-0123456789abcdef-0123456789abc') }, 'k1');
    const canonical = canonicalContent(rec);
    const forged = journalLineOf({ canonical, sig: forger.sign(canonical) });
    const lines = original.filter((_, i) => i !== 3);
    lines[lossIndex - 1] = forged;
    const report = verifyLines(lines);
    expect(report.exitCode, report.summary).to.equal(1);
    expect(report.countsByClass['accounted-loss']).to.equal(undefined);
  });

  it('precedence 1 > 2 > 4 > 0', () => {
    expect(exitCodeOf(statusOf(['ok']))).to.equal(0);
    expect(exitCodeOf(statusOf(['accounted-loss']))).to.equal(4);
    expect(exitCodeOf(statusOf(['accounted-loss', 'unsealed-tail']))).to.equal(2);
    expect(exitCodeOf(statusOf(['unsealed-tail', 'accounted-loss', 'missing']))).to.equal(1);
    // the journal without its shutdown seal: unsealed tail and accounted loss → 2
    const report = verifyLines(original.slice(0, -1));
    expect(report.countsByClass).to.include({ 'accounted-loss': 1, 'unsealed-tail': 1 });
    expect(report.exitCode).to.equal(2);
  });

  it('audit-cli integrity prints the loss and exits 4; --json carries the accounted-loss finding', async () => {
    const env = { AUDIT_VERIFY_KEYS: `k1:hex:${TEST_KEY_HEX}` };
    const text = await cli(['--file', auditFile, 'integrity'], env);
    expect(text.code, text.stdout + text.stderr).to.equal(4);
    expect(text.stdout).to.match(/ACCOUNTED LOSS/);
    expect(text.stdout).to.match(/accounted-loss/);
    expect(text.stdout).to.match(/Lost/);
    const json = await cli(['--file', auditFile, 'integrity', '--json'], env);
    expect(json.code).to.equal(4);
    const summary = JSON.parse(json.stdout) as VerificationReport;
    expect(summary.status).to.equal('accounted-loss');
    expect(summary.findings.map((f) => f.class)).to.deep.equal(['accounted-loss']);
  });
});
