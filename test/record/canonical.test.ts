import { expect } from 'chai';
import { canonicalize } from '../../src/record/canonical.js';
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
