/**
 * fast-check generators for the PII tests: PII values of every kind in several formats, non-PII
 * look-alikes, and arbitrary nested data to hide them in.
 */
import fc from 'fast-check';
import { DEFAULT_PII_FIELD_NAMES, normalizeFieldName } from '../../src/processors/pii/field-names.js';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';

/** A PII value and its kind. */
export interface PiiSample {
  readonly kind: string;
  readonly value: string;
}

const digits = (n: number): fc.Arbitrary<string> => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));

/** Luhn check digit making `body + digit` valid. */
export function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function group(s: string, size: number, sep: string): string {
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += size) parts.push(s.slice(i, i + size));
  return parts.join(sep);
}

/** Issuer prefixes and lengths of the card networks (Visa 13/16/19, Mastercard 51–55 and 2-series, Amex, Maestro 12–19, UnionPay, JCB, Diners, Discover, Mir). */
const CARD_NETWORKS: readonly (readonly [string, number])[] = [
  ['4', 13],
  ['4', 16],
  ['4', 19],
  ['51', 16],
  ['55', 16],
  ['2221', 16],
  ['2720', 16],
  ['34', 15],
  ['37', 15],
  ['6759', 12],
  ['5018', 13],
  ['6304', 19],
  ['62', 16],
  ['62', 19],
  ['3528', 16],
  ['36', 14],
  ['6011', 16],
  ['65', 16],
  ['2200', 16],
];

/** Card number of a network's prefix and length, Luhn-valid, plain or in groups of 4 with spaces or dashes. */
export const cardNumber: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...CARD_NETWORKS), fc.constantFrom('', ' ', '-'))
  .chain(([[prefix, length], sep]) =>
    digits(length - prefix.length - 1).map((rest) => group(prefix + rest + luhnDigit(prefix + rest), 4, sep)),
  );

/** 16-digit number that fails the Luhn check, formatted like a card. */
export const luhnInvalidNumber: fc.Arbitrary<string> = fc
  .tuple(digits(15), fc.integer({ min: 1, max: 9 }), fc.constantFrom('', ' ', '-'))
  .map(([body, offset, sep]) => group(body + String((Number(luhnDigit(body)) + offset) % 10), 4, sep));

/** Phone numbers in international and national formats. */
export const phoneNumber: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `+1 ${a} ${b} ${c}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `+1-${a}-${b}-${c}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `+44 20 ${a} ${b}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `(${a}) ${b}-${c}`),
  fc.tuple(digits(6)).map(([a]) => `0049-30-${a}`),
  fc.tuple(digits(7)).map(([a]) => `+49 30 ${a}`),
  fc.tuple(digits(2), digits(2), digits(2), digits(2)).map(([a, b, c, d]) => `+33 1 ${a} ${b} ${c} ${d}`),
  fc.tuple(digits(5), digits(5)).map(([a, b]) => `+91 ${a} ${b}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `${a}-${b}-${c}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `020 ${a} ${b}`),
);

const IBAN_FORMATS: readonly (readonly [string, fc.Arbitrary<string>])[] = [
  ['DE', digits(18)],
  ['NL', fc.tuple(fc.stringMatching(/^[A-Z]{4}$/), digits(10)).map(([b, n]) => b + n)],
  ['GB', fc.tuple(fc.stringMatching(/^[A-Z]{4}$/), digits(14)).map(([b, n]) => b + n)],
  ['FR', digits(23)],
  ['ES', digits(20)],
];

function ibanCheck(country: string, bban: string): string {
  const rearranged = bban + country + '00';
  let r = 0;
  for (const ch of rearranged) {
    const v = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : Number(ch);
    r = (v > 9 ? r * 100 + v : r * 10 + v) % 97;
  }
  return String(98 - r).padStart(2, '0');
}

/** Valid IBANs (mod-97), compact or printed in groups of 4. */
export const iban: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...IBAN_FORMATS), fc.boolean())
  .chain(([[country, bban], spaced]) =>
    bban.map((b) => {
      const compact = country + ibanCheck(country, b) + b;
      return spaced ? group(compact, 4, ' ') : compact;
    }),
  );

/** Any PII value with its kind. */
export const piiSample: fc.Arbitrary<PiiSample> = fc.oneof(
  fc.emailAddress().map((value) => ({ kind: 'email', value })),
  phoneNumber.map((value) => ({ kind: 'phone', value })),
  cardNumber.map((value) => ({ kind: 'card', value })),
  fc.ipV4().map((value) => ({ kind: 'ipv4', value })),
  fc
    .ipV6()
    .filter((v) => v.length >= 6)
    .map((value) => ({ kind: 'ipv6', value })),
  iban.map((value) => ({ kind: 'iban', value })),
);

/** Values that must survive anonymization unchanged. */
export const nonPii: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: 0, max: 999_999 }).map((n) => `LEAD-${String(n).padStart(6, '0')}`),
  fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: 0, max: 99_999_999 }).map((cents) => (cents / 100).toFixed(2)),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }),
  fc.uuid(),
  fc.constantFrom('inbound-sales', 'lead-nurture-2024', 'crm_sync_v2', 'web_form', 'Acme Corp'),
  fc.integer({ min: 0, max: 1_000_000 }),
  luhnInvalidNumber,
);

const PII_FIELDS = new Set(DEFAULT_PII_FIELD_NAMES.map(normalizeFieldName));

const keyDetectors = new PiiDetectors();

/**
 * Object keys that are not PII field names, not special to JS or the processor, and not PII-shaped
 * themselves (keys are scanned like values: a random key can read as an e-mail, `A@0.AA`).
 */
export const plainKey: fc.Arbitrary<string> = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter(
    (k) =>
      !PII_FIELDS.has(normalizeFieldName(k)) &&
      !['__proto__', 'constructor', 'prototype'].includes(k) &&
      !k.startsWith('audit.') &&
      keyDetectors.find(k) === undefined,
  );

/** Arbitrary nested JSON-like data with leaves from `leaf`. */
export function nested<T>(leaf: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('node'), { maxLength: 4 }),
    object: fc.dictionary(plainKey, tie('node'), { maxKeys: 4 }),
  })).node;
}

/** Every string (values and keys) inside `value`. */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}
