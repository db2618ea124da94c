import { expect } from 'chai';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';

const detectors = new PiiDetectors();
/** `kind:value` of each match, the value read from the original text. */
const found = (s: string): string[] => (detectors.find(s) ?? []).map((m) => `${m.kind}:${s.slice(m.start, m.end)}`);

describe('PII detectors: formats in use', () => {
  it('phone extensions (x123, ext., extension) are part of the number', () => {
    expect(found('call 703.301.3354 x6280 today')).to.deep.equal(['phone:703.301.3354 x6280']);
    expect(found('(551) 389-3688 x0018')).to.deep.equal(['phone:(551) 389-3688 x0018']);
    expect(found('+44 20 7946 0958 ext. 12')).to.deep.equal(['phone:+44 20 7946 0958 ext. 12']);
    expect(found('415-555-0100, extension 42')).to.deep.equal(['phone:415-555-0100, extension 42']);
  });

  it('national formats: FR dotted pairs, BE, NL, DE, AU, BR, CH, SE groupings', () => {
    for (const phone of [
      '01.23.45.67.89',
      '06 12 34 56 78',
      '0470 12 34 56',
      '02 123 45 67',
      '06 12345678',
      '020-1234567',
      '030 1234 5678',
      '(0703) 1013354',
      '04 1234 5678',
      '(02) 9876 5432',
      '(11) 98765-4321',
      '044 668 18 00',
      '08-123 456 78',
      '070-123 45 67',
    ]) {
      expect(found(`lead said ${phone} is best`), phone).to.deep.equal([`phone:${phone}`]);
    }
  });

  it('a card number in parentheses, an IPv6 address ending a sentence', () => {
    expect(found('paid with (6011000990139424) today')).to.deep.equal(['card:(6011000990139424']);
    expect(found('from 2001:db8::1.')).to.deep.equal(['ipv6:2001:db8::1']);
    expect(found('from 2001:db8::1. Then')).to.deep.equal(['ipv6:2001:db8::1']);
    // still glued to a word or a dotted name: not an address of its own
    expect(found('see 2001:db8::1.example')).to.deep.equal([]);
  });

  it('(0) trunk prefixes after the country code', () => {
    expect(found('+44 (0)20 7946 0958')).to.deep.equal(['phone:+44 (0)20 7946 0958']);
    expect(found('Tel +41 (0) 44 668 18 00')).to.deep.equal(['phone:+41 (0) 44 668 18 00']);
  });

  it('7-digit local numbers after a phone cue, and only there', () => {
    expect(found('Tel: 555-0199')).to.deep.equal(['phone:555-0199']);
    expect(found('please call me at 5550199')).to.deep.equal(['phone:5550199']);
    expect(found('order 5550199 shipped')).to.deep.equal([]);
    expect(found('ticket 555-0199')).to.deep.equal([]);
  });

  it('7-8 digit local numbers after symbol and Spanish/Portuguese cues (☎, 📞, cel, móvil)', () => {
    expect(found('☎ 555-0199')).to.deep.equal(['phone:555-0199']);
    expect(found('📞 5550199')).to.deep.equal(['phone:5550199']);
    expect(found('cel 5550-1990')).to.deep.equal(['phone:5550-1990']);
    expect(found('móvil: 55501990')).to.deep.equal(['phone:55501990']);
    expect(found('Tel. 5550 1990')).to.deep.equal(['phone:5550 1990']);
    expect(found('lot 55501990 ☎')).to.deep.equal([]);
  });

  it('a national number or SSN ending a longer run of digit groups, after a space', () => {
    expect(found('order 12345 415-555-0100')).to.deep.equal(['phone:415-555-0100']);
    expect(found('order 12345 (415) 555-0100.')).to.deep.equal(['phone:(415) 555-0100']);
    expect(found('ref 7 123-45-6789 checked')).to.deep.equal(['ssn:123-45-6789']);
    // the tail alone must still look like a number: dates, ZIP+4 codes and short groups do not
    expect(found('order 12345 2026-11-26')).to.deep.equal([]);
    expect(found('order 12345 05993-8759')).to.deep.equal([]);
    expect(found('seq 1 2 3 4 5 6 7 8 9')).to.deep.equal([]);
  });

  it('cards: 12-digit Maestro, 19-digit Visa, 2-series Mastercard, UnionPay, Amex; Luhn and IIN both required', () => {
    expect(found('card 6759 6498 2643 8453 ok')).to.deep.equal(['card:6759 6498 2643 8453']);
    expect(found('maestro 675964982648')).to.deep.equal(['card:675964982648']);
    expect(found('visa 4111 1111 1111 1111 003')).to.deep.equal(['card:4111 1111 1111 1111 003']);
    expect(found('mc 2223 0031 2200 3222')).to.deep.equal(['card:2223 0031 2200 3222']);
    expect(found('unionpay 6212345678901265')).to.deep.equal(['card:6212345678901265']);
    expect(found('amex 3782 822463 10005')).to.deep.equal(['card:3782 822463 10005']);
    expect(found('id 9111111111111111')).to.deep.equal([]); // Luhn-valid, no network
    expect(found('visa 4111 1111 1111 1112')).to.deep.equal([]); // network, not Luhn-valid
  });

  it('IBANs in any letter case, compact or grouped, mod-97 checked', () => {
    expect(found('to de89 3704 0044 0532 0130 00 please')).to.deep.equal(['iban:de89 3704 0044 0532 0130 00']);
    expect(found('iban gb82west12345698765432')).to.deep.equal(['iban:gb82west12345698765432']);
    expect(found('iban DE89 3704 0044 0532 0130 01')).to.deep.equal([]);
  });

  it('US SSNs: dashed with the area/group/serial rules, spaced or plain only after a cue', () => {
    expect(found('applicant 123-45-6789 verified')).to.deep.equal(['ssn:123-45-6789']);
    expect(found('SSN: 123 45 6789')).to.deep.equal(['ssn:123 45 6789']);
    expect(found('my social security number is 123456789')).to.deep.equal(['ssn:123456789']);
    expect(found('applicant 666-45-6789 verified')).to.not.deep.include('ssn:666-45-6789');
    expect(found('applicant 900-45-6789 verified')).to.not.deep.include('ssn:900-45-6789');
    expect(found('applicant 123-00-6789 verified')).to.not.deep.include('ssn:123-00-6789');
    expect(found('batch 123456789 done')).to.deep.equal([]);
  });

  it('fullwidth, zero-width and no-break characters are folded before scanning; the original span is reported', () => {
    expect(found('mail jane＠example．com now')).to.deep.equal(['email:jane＠example．com']);
    expect(found('card 4111\u00a01111\u00a01111\u00a01111!')).to.deep.equal([
      'card:4111\u00a01111\u00a01111\u00a01111',
    ]);
    expect(found('card 41\u200b11 1111 11\u200d11 1111 end')).to.deep.equal(['card:41\u200b11 1111 11\u200d11 1111']);
    expect(found('ｊａｎｅ@example.com')).to.deep.equal(['email:ｊａｎｅ@example.com']);
    expect(found('tel ＋４４ ２０ ７９４６ ０９５８')).to.deep.equal(['phone:＋４４ ２０ ７９４６ ０９５８']);
    expect(found('😀 jane@example.com 😀 +44 20 7946 0958')).to.deep.equal([
      'email:jane@example.com',
      'phone:+44 20 7946 0958',
    ]);
    expect(detectors.classify('\u200bjane@example.com')).to.equal('email');
  });

  it('not PII: ZIP+4 codes, dates, versions, amounts, order numbers, durations', () => {
    for (const text of [
      'shipped to 05993-8759 Altoona',
      '2026-11-26 14:03:22',
      '26/11/2026 08:15',
      'v2.14.3 deployed',
      'total 1,234.56 EUR',
      'ORD-2026-004512',
      'order #4821993',
      'took 00:01:23',
      'epoch 1764152168',
      'ticket 12345678 closed',
      'range 1273 6660-1617 reserved',
      'order 2964 2026-08-29 confirmed',
    ]) {
      expect(found(text), text).to.deep.equal([]);
    }
  });
});
