import { expect } from 'chai';
import { ATTR } from '../../src/events/semconv.js';
import { ChainVerifier, keyringOf, loadVerificationKeys, verifyRecords } from '../../src/entry/verify.js';
import { signedPartsOf } from '../../src/record/signed-log.js';
import { decodeJournalLine } from '../../src/record/journal-line.js';
import { pipeline, SECRET_1, SECRET_2, type Pipeline } from '../signing/helpers.js';
import { brief, forgeLine, KEYS, recOf, verifyLines } from './helpers.js';

describe('verification finds every kind of tampering of real signed records', () => {
  const open: Pipeline[] = [];
  function make(...args: Parameters<typeof pipeline>): Pipeline {
    const p = pipeline(...args);
    open.push(p);
    return p;
  }
  afterEach(async () => {
    for (const p of open.splice(0)) await p.provider.shutdown().catch(() => undefined);
  });

  /** Ten lead records and the shutdown seal: 11 journal lines. */
  async function sealedLines(): Promise<string[]> {
    const p = make();
    p.emitLeads(10);
    await p.provider.shutdown();
    return p.lines();
  }

  it('ok: an untouched, sealed journal is clean (exit 0)', async () => {
    const lines = await sealedLines();
    const report = verifyLines(lines);
    expect(report).to.include({ status: 'clean', exitCode: 0, recordsRead: 11, recordsVerified: 11 });
    expect(report.findings).to.deep.equal([]);
    expect(new Set(report.records?.map((r) => r.class))).to.deep.equal(new Set(['ok']));
    expect(report.streams[0]).to.include({ records: 11, firstSeq: 1, lastSeq: 11, sealed: true, status: 'clean' });
    expect(report.summary).to.include('CLEAN');
  });

  it('modified: one changed byte of content, a whitespace edit, or a changed signature', async () => {
    const lines = await sealedLines();
    const edited = [...lines];
    edited[4] = (edited[4] as string).replace('LEAD-5', 'LEAD-6');
    edited[2] = (edited[2] as string).replace('"seq":3', '"seq": 3');
    const sig7 = recOf(lines[7] as string).prev;
    edited[6] = (edited[6] as string).replace(sig7, sig7.slice(0, -2) + (sig7.endsWith('AA') ? 'BB' : 'AA'));
    const report = verifyLines(edited);
    expect(brief(report)).to.deep.equal([
      ['modified', 'audit.log:3', 3, undefined],
      ['modified', 'audit.log:5', 5, undefined],
      ['modified', 'audit.log:7', 7, undefined],
    ]);
    expect(report.findings[0]?.detail).to.include('canonical');
    expect(report).to.include({ status: 'tampered', exitCode: 1, recordsVerified: 8 });
    expect(report.streams[0]?.status).to.equal('tampered');
  });

  it('missing: deleted records are reported as a seq range at the record after the gap', async () => {
    const lines = await sealedLines();
    const report = verifyLines([...lines.slice(0, 2), ...lines.slice(5)]);
    expect(brief(report)).to.deep.equal([['missing', 'audit.log:3', 3, 5]]);
    expect(report.exitCode).to.equal(1);
    const head = verifyLines(lines.slice(2));
    expect(brief(head)).to.deep.equal([['missing', 'audit.log:1', 1, 2]]);
    expect(verifyLines(lines.slice(2), { allowMissingHead: true }).exitCode).to.equal(0);
  });

  it('inserted: a forged record in the chain, a forged stream, and a replayed duplicate', async () => {
    const lines = await sealedLines();
    const rec6 = recOf(lines[5] as string);
    const forged6 = forgeLine({ ...rec6, attrs: { ...rec6.attrs, [ATTR.leadId]: 'LEAD-EVIL' } });
    const forgedStream = forgeLine({ ...rec6, stream: '0000000000000bad', seq: 1, prev: '' });
    const report = verifyLines([
      ...lines.slice(0, 5),
      forged6,
      ...lines.slice(5, 8),
      lines[7] as string,
      ...lines.slice(8),
      forgedStream,
    ]);
    expect(brief(report)).to.deep.equal([
      ['inserted', 'audit.log:6', 6, undefined],
      ['inserted', 'audit.log:10', 8, undefined],
      ['inserted', 'audit.log:14', 1, undefined],
    ]);
    expect(report.findings[1]?.detail).to.include('replayed');
    expect(report.streams.find((s) => s.stream === '0000000000000bad')?.status).to.equal('tampered');
    // The genuine stream still verifies record by record: nothing is reported missing.
    expect(report.recordsVerified).to.equal(11);
  });

  it('inserted: a forged record beyond the end does not fake a gap or an unsealed tail', async () => {
    const lines = await sealedLines();
    const last = recOf(lines[10] as string);
    const report = verifyLines([
      ...lines,
      forgeLine({ ...last, seq: 40, prev: 'x', event: 'orchestrator.lead.ingested' }),
    ]);
    expect(brief(report)).to.deep.equal([['inserted', 'audit.log:12', 40, undefined]]);
  });

  it('reordered: both records of a swapped pair; a moved record and the neighbour it jumped', async () => {
    const lines = await sealedLines();
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4] as string, swapped[3] as string];
    const report = verifyLines(swapped);
    expect(brief(report)).to.have.deep.members([
      ['reordered', 'audit.log:4', 5, undefined],
      ['reordered', 'audit.log:5', 4, undefined],
    ]);
    expect(report.exitCode).to.equal(1);
    expect(report.recordsVerified).to.equal(11);
    const moved = [...lines.slice(0, 2), lines[8] as string, ...lines.slice(2, 8), ...lines.slice(9)];
    expect(brief(verifyLines(moved)).map((f) => [f[0], f[2]])).to.have.deep.members([
      ['reordered', 8],
      ['reordered', 9],
    ]);
  });

  it('records arriving in any order verify by stream and seq (ordered: false, e.g. Loki)', async () => {
    const lines = await sealedLines();
    const shuffled = lines
      .map((l, i) => ({ l, k: (i * 7) % lines.length }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.l);
    expect(shuffled).to.not.deep.equal(lines);
    const report = verifyLines(shuffled, { ordered: false });
    expect(report).to.include({ exitCode: 0, recordsVerified: 11 });
    expect(verifyLines(shuffled).findings.every((f) => f.class === 'reordered')).to.equal(true);
  });

  it('unsealed-tail: a truncated tail without a later stream is "unsealed", exit 2', async () => {
    const p = make({ sealEveryRecords: 4 });
    p.emitLeads(4);
    await Promise.resolve();
    p.emitLeads(6, 5);
    await p.provider.shutdown();
    const lines = p.lines();
    // r1-r4, seal@5 (microtask), r6-r9, seal@10 (before the next record), r11-r12, shutdown seal@13
    expect(lines.map((l) => (recOf(l).event === 'audit.seal' ? 'S' : 'r')).join('')).to.equal('rrrrSrrrrSrrS');
    const report = verifyLines(lines.slice(0, 9));
    expect(brief(report)).to.deep.equal([['unsealed-tail', 'audit.log:9', 6, 9]]);
    expect(report).to.include({ status: 'unsealed', exitCode: 2 });
    expect(report.records?.slice(5).map((r) => r.class)).to.deep.equal([
      'unsealed-tail',
      'unsealed-tail',
      'unsealed-tail',
      'unsealed-tail',
    ]);
    expect(report.streams[0]).to.include({ sealed: false, status: 'unsealed' });
  });

  /** A stream that crashed after `n` records, then a restarted stream linked to `head`. */
  async function crashAndRestart(n: number): Promise<{ crashed: string[]; restarted: string[] }> {
    const crashed = make({ bind: false });
    crashed.emitLeads(n);
    const lines = crashed.lines();
    const restarted = make({ previous: crashed.signer.head() });
    restarted.emitLeads(2, 100);
    await restarted.provider.shutdown();
    return { crashed: lines, restarted: restarted.lines() };
  }

  it('crash: a torn last line and a restart linked to the last complete record verify clean ("recovered")', async () => {
    const { crashed, restarted } = await crashAndRestart(5);
    const torn = { line: (crashed[4] as string).slice(0, 37), torn: true as const };
    const report = verifyLines([...crashed.slice(0, 4), torn, ...restarted].map((l, i) => (i === 4 ? torn : l)));
    // The torn line replaced record 5 in this journal: the link says 5, records end at 4 → missing.
    expect(brief(report)).to.deep.equal([['missing', 'audit.log:6', 5, 5]]);
    const clean = verifyLines([...crashed, torn, ...restarted]);
    expect(clean).to.include({ status: 'clean', exitCode: 0 });
    expect(clean.tornLines).to.deep.equal(['audit.log:6']);
    expect(clean.streams.map((s) => s.status)).to.deep.equal(['recovered', 'clean']);
    expect(clean.streams[1]?.previous).to.include({ found: true, matches: true, seq: 5 });
  });

  it('truncated tail: the restarted stream says seq N, the old stream ends earlier → missing', async () => {
    const { crashed, restarted } = await crashAndRestart(6);
    const report = verifyLines([...crashed.slice(0, 4), ...restarted]);
    expect(brief(report)).to.deep.equal([['missing', 'audit.log:5', 5, 6]]);
    expect(report.findings[0]?.detail).to.include('tail truncated');
    expect(report.exitCode).to.equal(1);
  });

  it('unknown-key: records signed with a key the verifier does not have', async () => {
    const lines = await sealedLines();
    const report = verifyLines(lines.slice(0, 2), {}, keyringOf({ other: SECRET_2 }));
    expect(brief(report)).to.deep.equal([
      ['unknown-key', 'audit.log:1', 1, undefined],
      ['unknown-key', 'audit.log:2', 2, undefined],
    ]);
    expect(report.exitCode).to.equal(1);
  });

  it('rotation: old-key records verify with the old key kept for verification; without it they are unknown-key', async () => {
    const before = make();
    before.emitLeads(2);
    await before.provider.shutdown();
    const after = make({ keyring: keyringOf({ k2: SECRET_2, k1: SECRET_1 }, 'k2'), previous: before.signer.head() });
    after.emitLeads(2, 3);
    await after.provider.shutdown();
    const lines = [...before.lines(), ...after.lines()];
    expect(lines.map((l) => recOf(l).kid)).to.deep.equal(['k1', 'k1', 'k1', 'k2', 'k2', 'k2']);
    const both = loadVerificationKeys({ env: { AUDIT_VERIFY_KEYS: `k1:${SECRET_1},k2:${SECRET_2}` } });
    expect(verifyLines(lines, {}, both)).to.include({ exitCode: 0, recordsVerified: 6 });
    const onlyNew = verifyLines(lines, {}, keyringOf({ k2: SECRET_2 }));
    expect(onlyNew.findings.map((f) => f.class)).to.deep.equal(['unknown-key', 'unknown-key', 'unknown-key']);
    expect(onlyNew.streams[1]?.previous?.found).to.equal(false);
  });

  it('unsigned and malformed lines', async () => {
    const p = make({ integrity: false, env: {} });
    p.emitLeads(2);
    const report = verifyLines([...p.lines(), 'garbage {', '{"rec":{},"sig":"x"}']);
    expect(brief(report).map((f) => f.slice(0, 2))).to.deep.equal([
      ['unsigned', 'audit.log:1'],
      ['unsigned', 'audit.log:2'],
      ['malformed', 'audit.log:3'],
      ['malformed', 'audit.log:4'],
    ]);
    expect(report.findings[2]?.detail).to.include('not-json');
    expect(report.streams[0]).to.include({ unsigned: 2, verified: 0, status: 'tampered' });
    expect(report.exitCode).to.equal(1);
  });

  it('Loki-like items: an edited log line or metadata that disagrees with the record is modified', async () => {
    const p = make();
    p.emitLeads(3);
    await p.provider.shutdown();
    const pairs = p
      .records()
      .map((r) => signedPartsOf(r))
      .filter((x) => x !== undefined);
    const edited = pairs.map((x, i) =>
      i === 1 ? { canonical: x.canonical.replace('{"attrs":{', '{"attrs": {'), sig: x.sig } : x,
    );
    const report = verifyRecords(edited, KEYS);
    expect(report.records?.map((r) => r.class)).to.deep.equal(['ok', 'modified', 'ok', 'ok']);
    expect(report.findings[0]?.detail).to.include('not in canonical form');
    const d = decodeJournalLine(p.lines()[2] as string);
    if (!d.ok) throw new Error('line does not decode');
    const verifier = new ChainVerifier(KEYS);
    const other = decodeJournalLine(p.lines()[0] as string);
    if (!other.ok) throw new Error('line does not decode');
    verifier.push({ canonical: d.canonical, record: other.record, sig: d.record.sig, location: 'loki:1' });
    expect(verifier.finish().findings.map((f) => [f.class, f.detail.split(';')[0]])).to.deep.include([
      'inserted',
      'stored record and its canonical text disagree, and the record is not linked from the genuine chain: forged or inserted',
    ]);
  });

  it('verifyRecords accepts OTel records, signed records and {canonical, sig} pairs alike', async () => {
    const p = make();
    p.emitLeads(3);
    await p.provider.shutdown();
    const otel = p.records();
    const pairs = otel.map((r) => signedPartsOf(r)).filter((x) => x !== undefined);
    const signed = p.lines().map((l) => {
      const d = decodeJournalLine(l);
      if (!d.ok) throw new Error('line does not decode');
      return d.record;
    });
    for (const input of [otel, pairs, signed]) {
      const report = verifyRecords(input, { k1: SECRET_1 });
      expect(report).to.include({ exitCode: 0, recordsVerified: 4 });
      expect(report.records?.map((r) => r.class)).to.deep.equal(['ok', 'ok', 'ok', 'ok']);
    }
    const tampered = [...signed];
    tampered[1] = {
      ...(signed[1] as (typeof signed)[number]),
      rec: { ...(signed[1] as (typeof signed)[number]).rec, body: 'changed' },
    };
    expect(verifyRecords(tampered, KEYS).records?.map((r) => r.class)).to.deep.equal(['ok', 'modified', 'ok', 'ok']);
  });
});
