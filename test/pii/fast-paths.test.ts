import { expect } from 'chai';
import fc from 'fast-check';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';
import { foldForScan, scannedAsIs } from '../../src/processors/pii/normalize.js';
import type { PiiMatch } from '../../src/processors/pii/types.js';

const detectors = new PiiDetectors();

/** The kind of the only match of `found` when it spans `[0, length)`: what `classify` must answer. */
function onlySpanning(found: PiiMatch[] | undefined, length: number): string | undefined {
  if (found?.length !== 1) return undefined;
  const [only] = found;
  return only?.start === 0 && only.end === length ? only.kind : undefined;
}

describe('PII detectors: shortcuts give the answers of the full scan', () => {
  it('scans a text as it is only when folding would leave each of its characters unchanged', () => {
    const wrong: string[] = [];
    for (let c = 0x80; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) {
        if (scannedAsIs(c)) wrong.push(c.toString(16)); // half of a pair: always folded as a pair
        continue;
      }
      const ch = String.fromCharCode(c);
      if (scannedAsIs(c) !== (foldForScan(ch)?.text === ch)) wrong.push(c.toString(16));
    }
    expect(wrong).to.deep.equal([]);
    // letters of names are kept; compatibility forms and invisible characters are not
    expect(['é', 'ü', 'ß', 'Ж', '中'].every((ch) => scannedAsIs(ch.charCodeAt(0)))).to.equal(true);
    expect(['＠', '４', '\u00a0', '\u200b', '\u00ad', '²'].some((ch) => scannedAsIs(ch.charCodeAt(0)))).to.equal(false);
  });

  it('finds values next to accented letters at their place in the original text', () => {
    const text = 'Müller, García: +49 30 1234567 or Jürgen at jurgen.m@example.com, Zoë 4111 1111 1111 1111';
    const found = (detectors.find(text) ?? []).map((m) => [text.slice(m.start, m.end), m.kind]);
    expect(found).to.deep.equal([
      ['+49 30 1234567', 'phone'],
      ['jurgen.m@example.com', 'email'],
      ['4111 1111 1111 1111', 'card'],
    ]);
    // a folded character elsewhere still folds the whole text
    expect(detectors.find('Zoë ４１１１ 1111 1111 1111')?.map((m) => m.kind)).to.deep.equal(['card']);
  });

  it('classifies a whole value as the full scan does (international numbers, names, e-mail addresses)', () => {
    const digits = (min: number, max: number): fc.Arbitrary<string> =>
      fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const spacedNumber = fc
      .tuple(
        fc.constantFrom('+', '+1 ', '+49 ', '+44 ', '+33 ', '+7 ', '+999 ', '+0', '(+', '+ '),
        fc.array(digits(1, 6), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(' ', ' ', ' ', '  ', '-', '.', ' (0) '),
      )
      .map(([lead, groups, sep]) => lead + groups.join(sep));
    const name = fc
      .array(fc.constantFrom('Jane', 'Müller', 'García', 'Zoë', 'Ærø', 'Ж', '中', '4', '＠', '\u00a0', ' '), {
        minLength: 1,
        maxLength: 5,
      })
      .map((parts) => parts.join(' ').trim());
    const email = fc
      .tuple(
        fc.constantFrom('jane', 'j.doe', 'ü', 'a+b'),
        fc.constantFrom('@', '＠', '@@'),
        fc.constantFrom('ex.com', 'exämple.com', 'x'),
      )
      .map(([local, at, domain]) => local + at + domain);
    fc.assert(
      fc.property(fc.oneof(spacedNumber, name, email), (text) => {
        const value = text.trim();
        if (value.length === 0) return;
        expect(detectors.classify(value), value).to.equal(onlySpanning(detectors.find(value), value.length));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the values short texts can hold (shorter than an IBAN)', () => {
    const found = (text: string): (string | undefined)[][] =>
      (detectors.find(text) ?? []).map((m) => [text.slice(m.start, m.end), m.kind]);
    expect(found('1.2.3.4')).to.deep.equal([['1.2.3.4', 'ipv4']]);
    expect(found('a@b.io')).to.deep.equal([['a@b.io', 'email']]);
    expect(found('fe80::1')).to.deep.equal([['fe80::1', 'ipv6']]);
    expect(found('１.２.３.４')).to.deep.equal([['１.２.３.４', 'ipv4']]);
    expect(found('tel 5550199')).to.deep.equal([['5550199', 'phone']]);
    expect(found('LEAD-000123')).to.deep.equal([]);
  });

  it('finds a value that is one IPv4 address as the full scan finds it (the same text after a space)', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '000', '0255'));
    const quadLike = fc
      .tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.constantFrom('.', '.', '.', ' ', '-'))
      .map(([parts, sep]) => parts.join(sep));
    const digitsAndDots = fc
      .array(fc.constantFrom(...'0123456789....- '), { minLength: 3, maxLength: 16 })
      .map((cs) => cs.join(''));
    const withIpv4 = new PiiDetectors();
    const withoutIpv4 = new PiiDetectors({ ipv4: false });
    const shifted = (found: PiiMatch[] | undefined): PiiMatch[] | undefined =>
      found?.map((m) => ({ start: m.start - 1, end: m.end - 1, kind: m.kind }));
    let quads = 0;
    fc.assert(
      fc.property(fc.oneof(quadLike, digitsAndDots), (text) => {
        for (const d of [withIpv4, withoutIpv4]) {
          const found = d.find(text);
          expect(found, text).to.deep.equal(shifted(d.find(' ' + text)));
          if (found?.[0]?.end === text.length && found[0].kind === 'ipv4') quads++;
        }
      }),
      { numRuns: 4000, seed: 21 },
    );
    expect(quads, 'whole addresses among the texts').to.be.greaterThan(100);
  });

  it('still reads numbers next to runs glued to a word (order and ticket ids, timestamps)', () => {
    const kinds = (text: string): string[] => (detectors.find(text) ?? []).map((m) => text.slice(m.start, m.end));
    expect(kinds('order ORD-2026-000123 call 415-555-0100')).to.deep.equal(['415-555-0100']);
    expect(kinds('ref-12345678 card 4111 1111 1111 1111')).to.deep.equal(['4111 1111 1111 1111']);
    expect(kinds('ticket INV-20261126 4111 1111 1111 1111')).to.deep.equal(['4111 1111 1111 1111']);
    expect(kinds('ORD-2026-000123 from 10.0.0.1')).to.deep.equal(['10.0.0.1']);
    expect(kinds('ORD-2026-000123 INV-99887766')).to.deep.equal([]);
    // a run glued to a word after it yields nothing, unless an extension follows
    expect(kinds('logged 2026-11-26T18:56:08.123Z, call 415-555-0100')).to.deep.equal(['415-555-0100']);
    expect(kinds('call 415-555-0100x42 now')).to.deep.equal(['415-555-0100x42']);
    expect(kinds('call 4155550100ext5 now')).to.deep.equal(['4155550100ext5']);
  });
});
