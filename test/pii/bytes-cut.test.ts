import { expect } from 'chai';
import { sanitizeValue } from '../../src/events/sanitize.js';
import { PiiAnonymizingProcessor } from '../../src/processors/pii/pii-processor.js';
import { utf8CutIndex } from '../../src/record/bytes-cut.js';

/** The kept bytes of a cut `base64:` value, as UTF-8 text. */
function keptText(value: unknown): string {
  const text = String(value);
  expect(text).to.match(/^base64:[A-Za-z0-9+/=]*…\[truncated \d+ bytes\]$/);
  return Buffer.from(text.slice('base64:'.length, text.indexOf('…')), 'base64').toString('utf8');
}

describe('PII: cutting bytes reads them as UTF-8', () => {
  const pii = new PiiAnonymizingProcessor();
  const cut = (text: string, at: number): number => pii.safeCut(text, at);
  // room for 400 characters: 'base64:' and 98 groups of 4, i.e. the first 294 bytes
  const limits = { maxStringLength: 400 };
  const FITS = 294;

  for (const [name, value] of [
    ['an e-mail address with a fullwidth ＠', 'carol.smith＠example.com'],
    ['a card number in fullwidth digits', '４１１１ １１１１ １１１１ １１１１'],
  ] as const) {
    it(`${name} straddling the cut is not kept in part`, () => {
      const head = 'x'.repeat(FITS - 12) + ' ';
      const bytes = Buffer.from(`${head}${value} and more text after it`, 'utf8');
      expect(bytes.indexOf(Buffer.from(value, 'utf8'))).to.be.lessThan(FITS); // it starts before the cut …
      expect(bytes.indexOf(Buffer.from(value, 'utf8')) + Buffer.byteLength(value)).to.be.greaterThan(FITS); // … and ends after it
      const kept = keptText(sanitizeValue(bytes, limits, cut).value);
      expect(kept).to.equal(head);
    });
  }

  it('never cuts inside a character, and maps the policy’s character index back to bytes', () => {
    const bytes = Buffer.from('aé€😀b', 'utf8'); // 1 + 2 + 3 + 4 + 1 bytes
    const anywhere = (_text: string, at: number): number => at;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((at) => utf8CutIndex(bytes, at, anywhere))).to.deep.equal([
      1, 1, 3, 3, 3, 6, 6, 6, 6, 10,
    ]);
    // the policy sees 'aé€' + the surrogate pair of 😀 and asks for index 2 (before '€')
    expect(utf8CutIndex(bytes, 10, (text, at) => (text === 'aé€😀b' && at === 5 ? 2 : at))).to.equal(3);
    // invalid bytes read as U+FFFD, one per maximal ill-formed subpart, as Node decodes them
    const broken = Buffer.from([0x61, 0xe2, 0x82, 0x62, 0xff, 0x63]);
    expect(utf8CutIndex(broken, 5, (text, at) => (text === 'a\ufffdb\ufffdc' && at === 4 ? 1 : at))).to.equal(1);
  });
});
