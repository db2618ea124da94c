import { expect } from 'chai';
import fc from 'fast-check';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';
import { type DetectorSwitches, type PiiDetectorKind } from '../../src/processors/pii/types.js';
import { piiSample } from './generators.js';

const detectors = new PiiDetectors();
const kinds = (s: string): string[] => (detectors.find(s) ?? []).map((m) => `${m.kind}:${s.slice(m.start, m.end)}`);

/** `classify` as documented: the kind of the only match of `find` on the trimmed text when it spans it. */
function classifyByFind(d: PiiDetectors, text: string): PiiDetectorKind | undefined {
  const trimmed = text.trim();
  const found = d.find(trimmed);
  if (found?.length !== 1) return undefined;
  const only = found[0];
  return only !== undefined && only.start === 0 && only.end === trimmed.length ? only.kind : undefined;
}

/** Strings made of digit groups, separators, `+`, `(`, `:`, `@` and letters: the shapes the shortcuts decide on. */
const runLike: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 99_999 }).map(String) },
      { weight: 3, arbitrary: fc.constantFrom(' ', '.', '-', '(', ')', '+', '(+', ':', '::', '@', ' ', '\t') },
      { weight: 2, arbitrary: fc.constantFrom('DE', 'AB', 'fe80', 'x', 'a.b', 'ex.com', 'Jane') },
      { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));

describe('PII detectors: number edge cases (behaviour kept from the regex-based scanners)', () => {
  it('IPv4: octets up to 255 with leading zeros, exactly four groups, not part of a longer dotted run', () => {
    expect(kinds('1.2.3.4')).to.deep.equal(['ipv4:1.2.3.4']);
    expect(kinds('01.02.003.4')).to.deep.equal(['ipv4:01.02.003.4']);
    expect(kinds('001.002.003.004')).to.deep.equal(['ipv4:001.002.003.004']);
    expect(kinds('256.1.1.1')).to.deep.equal([]);
    expect(kinds('10.0.0.256')).to.deep.equal([]);
    expect(kinds('1234.1.1.1')).to.deep.equal([]);
    expect(kinds('1.2.3')).to.deep.equal([]);
    expect(kinds('1.2.3.4.5')).to.deep.equal([]);
    expect(kinds('1.2.3.4.5.6.7.8')).to.deep.equal([]);
    expect(kinds('host 1.2.3.4. done')).to.deep.equal(['ipv4:1.2.3.4']);
    expect(kinds('ip=10.0.0.1')).to.deep.equal(['ipv4:10.0.0.1']);
    expect(kinds('1.2.3.4 5.6.7.8')).to.deep.equal(['ipv4:1.2.3.4', 'ipv4:5.6.7.8']);
    expect(kinds('at 10.0.0.1, 192.168.0.255 and 999.1.1.1')).to.deep.equal(['ipv4:10.0.0.1', 'ipv4:192.168.0.255']);
    expect(kinds('+1 10.0.0.1')).to.deep.equal(['ipv4:10.0.0.1']);
  });

  it('dates are no phone numbers, parenthesised groups are', () => {
    expect(kinds('2026-11-26 14 1234')).to.deep.equal([]);
    expect(kinds('2026.11.26 1234567')).to.deep.equal([]);
    expect(kinds('26.11.2026 1234567')).to.deep.equal([]);
    expect(kinds('(2026) 11 26 1234')).to.deep.equal(['phone:(2026) 11 26 1234']);
  });

  it('an IBAN before a number keeps its priority; a letter pair before digits alone is no IBAN', () => {
    expect(kinds('IBAN DE89 3704 0044 0532 0130 00 call 0049 30 1234567')).to.deep.equal([
      'iban:DE89 3704 0044 0532 0130 00',
      'phone:0049 30 1234567',
    ]);
    expect(kinds('x DE89370400440532013000')).to.deep.equal(['iban:DE89370400440532013000']);
    expect(kinds('ID AB12 5551234567')).to.deep.equal([]);
    expect(kinds('LEAD-100001 +49 30 1234567')).to.deep.equal(['phone:+49 30 1234567']);
    expect(kinds('4111 1111 1111 1111 exp 12/29')).to.deep.equal(['card:4111 1111 1111 1111']);
  });

  it('a run led by "(+" is scanned once (it used to loop forever) and read as an international number', () => {
    expect(kinds('(+49) 30 1234567')).to.deep.equal(['phone:(+49) 30 1234567']);
    expect(kinds('call (+44) 20 7946 0958 now')).to.deep.equal(['phone:(+44) 20 7946 0958']);
    expect(kinds('(+1. 9631804')).to.deep.equal(['phone:(+1. 9631804']);
    expect(kinds('x(+49) 30 1234567')).to.deep.equal([]);
    expect(kinds('(+12')).to.deep.equal([]);
    expect(detectors.classify(' (+49) 30 1234567 ')).to.equal('phone');
  });

  it('long texts: PII reached only through a "+", an IBAN glued to words, or none behind glued digits', () => {
    expect(kinds('please call +4915123456789 today, thanks')).to.deep.equal(['phone:+4915123456789']);
    expect(kinds('payment to DE89370400440532013000 received')).to.deep.equal(['iban:DE89370400440532013000']);
    expect(kinds('reach me at (+49) 30 1234567 after 5pm')).to.deep.equal(['phone:(+49) 30 1234567']);
    expect(kinds('Lead LEAD-100001 ingested from webinar')).to.deep.equal([]);
    expect(kinds('order ORD-2026-11-26 for user_12 shipped')).to.deep.equal([]);
    expect(kinds('Lead LEAD-100001 (webinar) 2026-11-26T18:56:08.123Z')).to.deep.equal([]);
  });

  it('classify: whole values only, after trimming', () => {
    const cases: [string, PiiDetectorKind | undefined][] = [
      ['203.0.113.7', 'ipv4'],
      [' 203.0.113.7 ', 'ipv4'],
      ['203.0.113.7 x', undefined],
      ['203.0.113.256', undefined],
      ['+49 30 1234567', 'phone'],
      ['\u00a0+49 30 1234567\u00a0', 'phone'],
      ['(030) 1234 5678', 'phone'],
      ['0049 30 1234567', 'phone'],
      ['1+234567890', undefined],
      ['4111 1111 1111 1111', 'card'],
      ['+4111111111111111', undefined],
      ['12.34.56.78 90', undefined],
      ['2026-11-26', undefined],
      ['jane@example.com', 'email'],
      [' jane@example.com\t', 'email'],
      ['a jane@example.com', undefined],
      ['jane@example.com b@c.de', undefined],
      ['FE80::1', 'ipv6'],
      ['::1', 'ipv6'],
      ['DE89 3704 0044 0532 0130 00', 'iban'],
      ['12 Hauptstraße, 10115 Berlin', undefined],
      ['+49@30 1234567', undefined],
      ['1.2.3.4@x.io', 'email'],
      ['fe80::1@a.io', undefined],
      ['2001:db8::1', 'ipv6'],
      ['(2001:db8::1)', undefined],
      ['1@2.3.4.5', undefined],
      ['+1 415 555 0100:', undefined],
      ['Grace', undefined],
      ['ab', undefined],
    ];
    for (const [text, kind] of cases) expect(detectors.classify(text), JSON.stringify(text)).to.equal(kind);
  });

  it('classify agrees with the single whole match of find, for every detector set', () => {
    const switchSets: DetectorSwitches[] = [
      {},
      { ipv4: false },
      { card: false, phone: false },
      { email: false },
      { iban: false, ipv6: false },
    ];
    const sets = switchSets.map((s) => new PiiDetectors(s));
    const text = fc.oneof(
      runLike,
      piiSample.map((p) => p.value),
      fc
        .tuple(fc.constantFrom(' ', '', '\n'), piiSample, fc.constantFrom(' ', '', 'x'))
        .map(([a, p, b]) => a + p.value + b),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(text, (s) => {
        for (const d of sets) expect(d.classify(s), JSON.stringify(s)).to.equal(classifyByFind(d, s));
      }),
      { numRuns: 3000 },
    );
  });
});
