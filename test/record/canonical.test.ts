import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalize, jsonNumber, jsonText } from '../../src/record/canonical.js';
import type { AuditRecordContent } from '../../src/record/audit-record.js';
import { decodeJournalLine, encodeJournalLine } from '../../src/record/journal-line.js';

const content: AuditRecordContent = {
  v: 1,
  stream: 'abcd',
  seq: 3,
  prev: 'sig2',
  kid: 'k1',
  ts: '2026-11-26T18:00:00.123Z',
  tsNanos: 456,
  event: 'orchestrator.lead.ingested',
  sev: 'INFO',
  sevNum: 9,
  body: 'Lead LEAD-1 ingested',
  attrs: { 'orchestrator.lead.id': 'LEAD-1', z: [1, 'two', { b: true, a: null }], é: 0.1 },
};

describe('canonical record form', () => {
  it('sorts keys at every depth and omits undefined members', () => {
    expect(canonicalize({ b: 1, a: { d: [3, undefined], c: undefined } })).to.equal('{"a":{"d":[3,null]},"b":1}');
  });

  it('round-trips through JSON.parse byte for byte', () => {
    const s = canonicalize(content as never);
    expect(canonicalize(JSON.parse(s))).to.equal(s);
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalize(Number.NaN)).to.throw(TypeError);
    expect(() => canonicalize({ f: (() => 1) as never })).to.throw(TypeError);
  });

  it('decodes its own journal lines and flags non-canonical edits', () => {
    const line = encodeJournalLine({ rec: content, sig: 'xyz' });
    const decoded = decodeJournalLine(line);
    expect(decoded.ok).to.equal(true);
    expect(decodeJournalLine(line.replace('"seq":3', '"seq": 3'))).to.deep.equal({ ok: false, error: 'not-canonical' });
    expect(decodeJournalLine(line.slice(0, -3))).to.deep.equal({ ok: false, error: 'not-json' });
    expect(decodeJournalLine('{"rec":1,"sig":"x"}')).to.deep.equal({ ok: false, error: 'not-a-record' });
  });
});

describe('jsonText and jsonNumber: JSON.stringify without the native call', () => {
  const tricky = fc.constantFrom(
    '"',
    '\\',
    '/',
    '\u0000',
    '\b',
    '\u001f',
    ' ',
    '\u007f',
    '\u2028',
    '\ud800',
    '\udfff',
    '😀',
    'é',
    'a',
  );
  it('jsonText equals JSON.stringify on any string (lone surrogates, controls, quotes, emoji)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: tricky, maxLength: 40 }),
        ),
        (text) => {
          expect(jsonText(text)).to.equal(JSON.stringify(text));
        },
      ),
      { numRuns: 5000 },
    );
    for (const text of ['', 'plain', '\ud83d', 'a\ude00', 'x"y', 'x\\y', 'tab\t', '\u2029'])
      expect(jsonText(text)).to.equal(JSON.stringify(text));
  });

  it('jsonNumber equals JSON.stringify on any number (-0, 1e21, 5e-324, NaN, Infinity)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), (n) => {
        expect(jsonNumber(n)).to.equal(JSON.stringify(n));
      }),
      { numRuns: 5000 },
    );
    for (const n of [-0, 0, 1e21, 1e-7, 5e-324, -1.5e-300, 2 ** 53 + 2, Number.NaN, Infinity, -Infinity])
      expect(jsonNumber(n)).to.equal(JSON.stringify(n));
  });
});
