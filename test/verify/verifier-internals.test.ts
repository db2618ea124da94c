import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalize, type CanonicalValue } from '../../src/record/canonical.js';
import { recordContentOf } from '../../src/record/record-content.js';
import { SeqRanges } from '../../src/verify/seq-ranges.js';
import { ChainVerifier, keyringOf } from '../../src/entry/verify.js';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

describe('verifier building blocks', () => {
  it('SeqRanges merges in any insertion order and reports gaps', () => {
    const r = new SeqRanges();
    for (const s of [5, 1, 2, 9, 4, 3, 10, 12]) expect(r.add(s)).to.equal(true);
    expect(r.add(3)).to.equal(false);
    expect(r.has(4)).to.equal(true);
    expect(r.has(11)).to.equal(false);
    expect([r.min(), r.max()]).to.deep.equal([1, 12]);
    expect(r.gaps()).to.deep.equal([
      { from: 6, to: 8 },
      { from: 11, to: 11 },
    ]);
    expect(r.without(new Set([1, 10])).gaps()).to.deep.equal([
      { from: 6, to: 8 },
      { from: 10, to: 11 },
    ]);
    expect(r.without(new Set([1])).min()).to.equal(2);
  });

  it('holds only a bounded number of records for a long in-order stream', () => {
    const secret = randomBytes(32);
    const keys = keyringOf({ k1: secret });
    const verifier = new ChainVerifier(keys);
    let prev = '';
    let maxPending = 0;
    for (let seq = 1; seq <= 5000; seq++) {
      const rec = {
        attrs: {},
        body: null,
        event: null,
        kid: 'k1',
        prev,
        seq,
        sev: null,
        sevNum: null,
        stream: 's',
        ts: '2026-01-01T00:00:00.000Z',
        tsNanos: 0,
        v: 1,
      };
      const canonical = canonicalize(rec);
      const sig = keys.sign(canonical);
      verifier.push({ canonical, sig, location: `l${seq}` });
      prev = sig;
      maxPending = Math.max(maxPending, verifier.pending());
    }
    expect(maxPending).to.be.at.most(2);
    const report = verifier.finish();
    expect(report.recordsVerified).to.equal(5000);
    expect(report.findings.map((f) => f.class)).to.deep.equal(['unsealed-tail']);
  });

  it('the signer serialization of any attribute/body values is canonical (property)', () => {
    const value = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown>;
    const oddValue = fc.oneof(
      value,
      fc.double(),
      fc.bigInt(),
      fc.uint8Array({ maxLength: 8 }),
      fc.constant(undefined),
      fc.date(),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), oddValue, { maxKeys: 6 }), oddValue, (attributes, body) => {
        const log = {
          hrTime: [1_764_000_000, 123_456_789],
          attributes,
          body,
          eventName: 'e',
          severityText: 'INFO',
          severityNumber: 9,
        } as unknown as ReadableLogRecord;
        const notes = { fixed: 0, digitKeys: false };
        const content = recordContentOf(log, { stream: 's', seq: 1, prev: '', kid: 'k' }, notes);
        const reference = canonicalize(content as unknown as CanonicalValue);
        if (!notes.digitKeys) expect(JSON.stringify(content)).to.equal(reference);
        expect(canonicalize(JSON.parse(reference) as CanonicalValue)).to.equal(reference);
      }),
      { numRuns: 300 },
    );
  });

  it('flags digit-leading keys, whose JSON.stringify order is not canonical', () => {
    const log = {
      hrTime: [0, 0],
      attributes: { x: { '10': 1, '9': 2, a: 3 } },
      body: null,
    } as unknown as ReadableLogRecord;
    const notes = { fixed: 0, digitKeys: false };
    const content = recordContentOf(log, { stream: 's', seq: 1, prev: '', kid: 'k' }, notes);
    expect(notes.digitKeys).to.equal(true);
    expect(JSON.stringify(content)).to.not.equal(canonicalize(content as unknown as CanonicalValue));
  });
});
