/**
 * IBANs, in any letter case, compact or printed in groups: a country code of the IBAN registry,
 * two check digits, then exactly the country's number of letters and digits (single spaces allowed
 * between them), valid under ISO 13616 mod-97. Each candidate start is read at most once for at
 * most 34 characters plus spaces, so the scan is linear.
 */
import { IBAN_LENGTHS, ibanValidIn } from './checksums.js';
import type { MatchSet } from './match-set.js';

/** {@link IBAN_LENGTHS} indexed by the two letters (a–z each, 26 × 26), 0 where none. */
const LENGTH_BY_PAIR = (() => {
  const table = new Uint8Array(26 * 26);
  for (const [country, length] of Object.entries(IBAN_LENGTHS))
    table[(country.charCodeAt(0) - 65) * 26 + (country.charCodeAt(1) - 65)] = length;
  return table;
})();

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** End of the IBAN starting at `p` (two letters, two digits), or -1. */
export function ibanEnd(text: string, p: number): number {
  const length = LENGTH_BY_PAIR[((text.charCodeAt(p) | 32) - 97) * 26 + ((text.charCodeAt(p + 1) | 32) - 97)] ?? 0;
  if (length === 0) return -1;
  const n = text.length;
  let q = p;
  let count = 0;
  while (q < n && count < length) {
    const c = text.charCodeAt(q);
    if (isAlnum(c)) {
      count++;
      q++;
    } else if (
      c === 32 &&
      count >= 4 &&
      q + 1 < n &&
      isAlnum(text.charCodeAt(q + 1)) &&
      text.charCodeAt(q - 1) !== 32
    ) {
      q++;
    } else {
      break;
    }
  }
  if (count !== length || (q < n && isAlnum(text.charCodeAt(q)))) return -1;
  return ibanValidIn(text, p, q) ? q : -1;
}

/** Adds every IBAN of `text` to `found`. */
export function scanIban(text: string, found: MatchSet): void {
  const n = text.length - 3;
  for (let p = 0; p < n; p++) {
    if (!isLetter(text.charCodeAt(p))) continue;
    if (p > 0 && isAlnum(text.charCodeAt(p - 1))) continue;
    if (!isLetter(text.charCodeAt(p + 1)) || !isDigit(text.charCodeAt(p + 2)) || !isDigit(text.charCodeAt(p + 3)))
      continue;
    const end = ibanEnd(text, p);
    if (end > 0 && found.add(p, end, 'iban')) p = end - 1;
  }
}
