/**
 * Phone numbers, decided from the shape of a digit run and Google's numbering metadata
 * (libphonenumber-js): an international number (`+`, `(+`, `00`) needs a known country calling
 * code and a national number of a length possible there (a `(0)` trunk digit is skipped); a
 * national number is accepted by its grouping (`415-555-0100`, `020 7946 0958`, `(030) 1234 5678`,
 * `01 23 45 67 89`), after a phone cue (`tel`, `phone`, `call`, … — then 7 digits are enough), or
 * when libphonenumber-js validates it in one of the regions written with a trunk `0`.
 * Full validations are the costly part: each scan may make a bounded number of them (see
 * `MatchSet.phoneBudget`); past that, the grouping alone decides, so a hostile text costs no more.
 */
import type { MatchSet } from './match-set.js';
import {
  getCountries,
  getCountryCallingCode,
  isValidPhoneNumber,
  Metadata,
  type CountryCode,
} from 'libphonenumber-js/min';

/**
 * National number lengths possible per country calling code, as a bit mask (bit n: n digits),
 * union over the countries sharing the code; indexed by `code + 1000 * (code's digit count - 1)`
 * (`1` and `001` differ). 0: no such code.
 */
const LENGTHS_BY_CODE: Int32Array = (() => {
  const metadata = new Metadata();
  const out = new Int32Array(3000);
  for (const country of getCountries()) {
    metadata.selectNumberingPlan(country);
    const code = getCountryCallingCode(country);
    const index = Number(code) + 1000 * (code.length - 1);
    for (const length of metadata.numberingPlan?.possibleLengths() ?? [])
      out[index] = (out[index] as number) | (1 << length);
  }
  return out;
})();

/** Regions written nationally with a trunk `0`, tried in order when a national number needs a full check. */
const TRUNK_REGIONS: readonly CountryCode[] = [
  'FR',
  'DE',
  'GB',
  'NL',
  'BE',
  'CH',
  'AT',
  'SE',
  'AU',
  'BR',
  'IT',
  'JP',
  'NZ',
  'IE',
];

/** What the digit-run scanner knows about a candidate. */
export interface RunShape {
  /** Digits in the candidate (without an extension). */
  readonly digits: number;
  /** Digit groups. */
  readonly groups: number;
  readonly minGroup: number;
  readonly maxGroup: number;
  readonly parens: boolean;
  readonly dots: boolean;
  /** A space or `-` between groups. */
  readonly spaceOrDash: boolean;
}

/** The digits of `text.slice(start, end)` as a string, a `(0)` trunk group skipped when `skipTrunk`. */
export function digitsOf(text: string, start: number, end: number, skipTrunk: boolean): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (skipTrunk && c === 40 && text.charCodeAt(i + 1) === 48 && text.charCodeAt(i + 2) === 41) {
      i += 2;
      continue;
    }
    if (c >= 48 && c <= 57) out += text[i];
  }
  return out;
}

/**
 * True when the digits of `text.slice(start, end)` (after `+` or `00`; a `(0)` trunk group
 * skipped) are a country calling code and a national number of a length possible there.
 */
export function internationalPossible(text: string, start: number, end: number): boolean {
  let total = 0;
  let code = 0;
  let codeDigits = 0;
  let mask = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 && text.charCodeAt(i + 1) === 48 && text.charCodeAt(i + 2) === 41 && mask !== 0) {
      i += 2;
      continue;
    }
    if (c < 48 || c > 57) continue;
    total++;
    if (mask === 0 && codeDigits < 3) {
      code = code * 10 + (c - 48);
      codeDigits++;
      mask = LENGTHS_BY_CODE[code + 1000 * (codeDigits - 1)] as number;
      if (mask !== 0) total = 0;
    }
  }
  return mask !== 0 && total < 31 && (mask & (1 << total)) !== 0;
}

/** True when `digits` (a national number with its trunk `0`) is valid in one of {@link TRUNK_REGIONS}. */
export function nationalValid(digits: string, budget: MatchSet): boolean {
  for (const region of TRUNK_REGIONS) {
    if (budget.phoneBudget <= 0) return true; // past the budget the shape decides: keep the value masked
    budget.phoneBudget--;
    if (isValidPhoneNumber(digits, region)) return true;
  }
  return false;
}

/**
 * True when the national-format candidate (no `+` nor `00`) `text.slice(start, end)` of `shape`
 * is a phone number; a phone word just before it (looked for only when the grouping alone does not
 * decide) lets fewer digits count.
 */
export function isNationalPhone(text: string, start: number, end: number, shape: RunShape, budget: MatchSet): boolean {
  const { digits, groups, minGroup, maxGroup, parens, dots, spaceOrDash } = shape;
  if (digits < 7 || digits > 15) return false;
  if (dots && spaceOrDash && !parens) return false; // `123.45 678.90`: amounts
  // `(415) 555-0100`, `(030) 1234 5678`: an area code in parentheses starts the number
  if (parens && groups >= 2 && digits >= 9 && text.charCodeAt(start) === 40) return true;
  const grouped = digits >= 9 && digits <= 12;
  const trunk = text.charCodeAt(firstDigit(text, start)) === 48;
  // 3-4 groups: 9-10 digits (`415-555-0100`, `956 708 380`), or up to 12 with a trunk `0`
  // (`020 7946 0958`); 11-12 digits without one are no national number (`1273 6660-1617`)
  if (grouped && (trunk || digits <= 10) && minGroup >= 2 && maxGroup <= 5 && (groups === 3 || groups === 4))
    return true;
  // `05993-8759`: a US ZIP+4 code, not a number with a trunk 0
  const zip4 = digits === 9 && groups === 2 && minGroup === 4 && maxGroup === 5;
  if (grouped && trunk && groups === 2 && minGroup >= 2 && !zip4) return true;
  if (phoneCueBefore(text, start)) return digits <= 13;
  // `1-613-445-1405`: a North American number written with its country code
  if (digits === 11 && text.charCodeAt(firstDigit(text, start)) === 49 && internationalPossible(text, start, end))
    return groups >= 3;
  if (parens || !grouped || !trunk || groups > 6 || zip4) return false;
  // FR/BE/NL/CH/SE/AU/BR groupings and plain national numbers: libphonenumber-js decides
  const national = digitsOf(text, start, end, false);
  if (national.charCodeAt(1) === 48) return false; // `00…`: no national number
  return nationalValid(national, budget);
}

function firstDigit(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return i;
    i++;
  }
  return i;
}

/** Words that announce a phone number, as the end of the text before a number. */
const PHONE_CUE =
  /(?:^|[^a-z])(?:tel|tél|phone|telephone|téléphone|telefon|telefoon|telefono|teléfono|mobile|mobil|mob|cell|cellphone|call|fax|whatsapp|sms|handy|portable|gsm|ph|tlf|dial|ring|rappeler|appeler|joindre|rückruf|anrufen|rufnummer|nummer|number|numéro|bellen|cel|celular|móvil|movil|☎|☏|✆|📞|📱)[a-zé]{0,6}\.?(?:\s*(?:me|us|at|on|au|unter|op|under|is|no\.?|nr\.?|number|n°|#|:|=|-|\/))*\s*\(?$/;
/** Words that announce a US Social Security number. */
const SSN_CUE =
  /(?:^|[^a-z])(?:ssn|ss#|social security|soc\.? ?sec\.?)(?: number| no\.?| nr\.?| #)?(?: is| was)?\s*[:#=-]?\s*$/;

/** At most this many characters before a number are read for a cue. */
const CUE_WINDOW = 32;

/** True when the text just before `start` ends with a phone cue (`Tel.:`, `call`, `phone number:`). */
export function phoneCueBefore(text: string, start: number): boolean {
  if (start === 0) return false;
  return PHONE_CUE.test(text.slice(Math.max(0, start - CUE_WINDOW), start).toLowerCase());
}

/** True when the text just before `start` ends with an SSN cue (`SSN`, `social security number:`). */
export function ssnCueBefore(text: string, start: number): boolean {
  if (start === 0) return false;
  return SSN_CUE.test(text.slice(Math.max(0, start - CUE_WINDOW), start).toLowerCase());
}

/**
 * End of a phone extension right after a number ending at `end` (` x123`, `x123`, ` ext. 123`,
 * `, ext 123`, ` extension 42`, ` #42`), or -1.
 */
export function extensionEnd(text: string, end: number): number {
  const n = text.length;
  let p = end;
  if (text.charCodeAt(p) === 44) p++;
  if (text.charCodeAt(p) === 32) p++;
  const c = text.charCodeAt(p) | 32;
  if (c === 120 /* x */) {
    p++;
  } else if (text.charCodeAt(p) === 35 /* # */) {
    p++;
  } else if (c === 101 /* e */ && text.slice(p, p + 3).toLowerCase() === 'ext') {
    p += 3;
    if (text.slice(p, p + 6).toLowerCase() === 'ension') p += 6;
    if (text.charCodeAt(p) === 46) p++;
  } else {
    return -1;
  }
  if (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 58) p++;
  if (text.charCodeAt(p) === 32) p++;
  const from = p;
  while (p < n && p - from < 6 && isDigitCode(text.charCodeAt(p))) p++;
  if (p === from || (p < n && isWordCode(text.charCodeAt(p)))) return -1;
  return p;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
