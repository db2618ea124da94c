/**
 * Payment card numbers: the issuer identification number (IIN) ranges of the networks in use and
 * their lengths, then the Luhn check. Lengths 12–19: Maestro from 12, Visa 13–19, American Express
 * 15, Diners 14–19, Mastercard (51–55 and the 2221–2720 series) 16, Mir 16–19, JCB, Discover and
 * UnionPay 16–19, RuPay, Troy and UATP.
 */
import { luhnValidIn } from './checksums.js';

/**
 * True when `d` (the leading digits of a card number as a number of `digits` length) starts an
 * IIN range of a network issuing numbers of that many digits. `p2`, `p3`, `p4` are the first 2, 3
 * and 4 digits.
 */
function iinAccepts(p2: number, p3: number, p4: number, digits: number): boolean {
  const first = (p2 / 10) | 0;
  switch (first) {
    case 1: // UATP
      return digits === 15;
    case 2: // Mir 2200–2204, Mastercard 2221–2720
      if (p4 >= 2200 && p4 <= 2204) return digits >= 16 && digits <= 19;
      return p4 >= 2221 && p4 <= 2720 && digits === 16;
    case 3:
      if (p2 === 34 || p2 === 37) return digits === 15; // American Express
      if ((p3 >= 300 && p3 <= 305) || p4 === 3095 || p2 === 36 || p2 === 38 || p2 === 39)
        return digits >= 14 && digits <= 19; // Diners
      return p4 >= 3528 && p4 <= 3589 && digits >= 16 && digits <= 19; // JCB
    case 4: // Visa
      return digits >= 13 && digits <= 19;
    case 5:
      if (p2 >= 51 && p2 <= 55) return digits === 16 || digits === 19; // Mastercard (19: co-badged)
      if (p2 === 50 || (p2 >= 56 && p2 <= 58)) return digits >= 12 && digits <= 19; // Maestro, RuPay 508, Verve 506
      return false;
    case 6: // Maestro 6x, Discover 6011/644–649/65, UnionPay 62, RuPay 60/65, Verve 650, Hipercard
      return digits >= 12 && digits <= 19;
    case 8: // UnionPay 81, RuPay 82
      return (p2 === 81 || p2 === 82) && digits >= 16 && digits <= 19;
    case 9: // Troy
      return p4 === 9792 && digits === 16;
    default:
      return false;
  }
}

/**
 * True when the digits of `text.slice(start, end)` (other characters skipped; `digits` of them)
 * are a card number: in an IIN range of a network with that length, and Luhn-valid.
 */
export function isCardNumber(text: string, start: number, end: number, digits: number): boolean {
  if (digits < 12 || digits > 19) return false;
  let lead = 0;
  let seen = 0;
  for (let i = start; i < end && seen < 4; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      lead = lead * 10 + (c - 48);
      seen++;
    }
  }
  const p4 = lead;
  const p3 = (lead / 10) | 0;
  const p2 = (lead / 100) | 0;
  return iinAccepts(p2, p3, p4, digits) && luhnValidIn(text, start, end);
}
