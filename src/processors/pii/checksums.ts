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

/** IBAN lengths of common countries (ISO 13616 registry); others are accepted at 15–34. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18,
  FR: 27, GB: 22, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21,
  MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27, TR: 26,
};

/**
 * True when `compact` (upper-case letters and digits, no spaces) is a valid IBAN: two-letter
 * country, two check digits, the country's length where known, and remainder 1 modulo 97.
 */
export function ibanValid(compact: string): boolean {
  const n = compact.length;
  if (n < 15 || n > 34) return false;
  const expected = IBAN_LENGTHS[compact.slice(0, 2)];
  if (expected !== undefined && expected !== n) return false;
  let remainder = 0;
  for (let i = 0; i < n; i++) {
    const c = compact.charCodeAt((i + 4) % n);
    if (c >= 48 && c <= 57) {
      remainder = (remainder * 10 + (c - 48)) % 97;
    } else if (c >= 65 && c <= 90) {
      remainder = (remainder * 100 + (c - 55)) % 97;
    } else {
      return false;
    }
  }
  return remainder === 1;
}
