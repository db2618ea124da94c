/**
 * Check-digit tests that keep the number detectors honest: Luhn for payment cards, ISO 13616
 * mod-97 (plus the country's length where known) for IBANs.
 */

/** True when `digits` (ASCII digits only) passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  return /^\d*$/.test(digits) && luhnValidIn(digits, 0, digits.length);
}

/** Luhn check of the digits of `text.slice(start, end)`, other characters skipped (no copy made). */
export function luhnValidIn(text: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i--) {
    let d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) continue;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** IBAN length per country of the IBAN registry (ISO 13616), plus IR; others are accepted at 15–34 by {@link ibanValid}. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IR: 26,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/**
 * True when `compact` (letters of either case and digits, no spaces) is a valid IBAN: two-letter
 * country, two check digits, the country's length where known, and remainder 1 modulo 97.
 */
export function ibanValid(compact: string): boolean {
  const n = compact.length;
  if (n < 15 || n > 34) return false;
  const expected = IBAN_LENGTHS[compact.slice(0, 2).toUpperCase()];
  if (expected !== undefined && expected !== n) return false;
  return ibanValidIn(compact, 0, n);
}

/**
 * Mod-97 check of the IBAN in `text.slice(start, end)`, spaces skipped, letters of either case
 * (no copy made); false on any other character.
 */
export function ibanValidIn(text: string, start: number, end: number): boolean {
  let remainder = 0;
  // the first four characters (country and check digits) count last
  let head = 0;
  let p = start;
  for (; p < end && head < 4; p++) if (text.charCodeAt(p) !== 32) head++;
  const headEnd = p;
  for (let pass = 0; pass < 2; pass++) {
    const from = pass === 0 ? headEnd : start;
    const to = pass === 0 ? end : headEnd;
    for (let i = from; i < to; i++) {
      let c = text.charCodeAt(i);
      if (c === 32) continue;
      if (c >= 97 && c <= 122) c -= 32;
      if (c >= 48 && c <= 57) {
        remainder = (remainder * 10 + (c - 48)) % 97;
      } else if (c >= 65 && c <= 90) {
        remainder = (remainder * 100 + (c - 55)) % 97;
      } else {
        return false;
      }
    }
  }
  return remainder === 1;
}
