/**
 * Content detectors: find e-mail addresses, IBANs, IPv6 and IPv4 addresses, payment cards, US
 * Social Security numbers and phone numbers inside a string, in time linear in its length.
 *
 * The text is first folded (`normalize.ts`: NFKC per character, invisible characters dropped), so
 * `jane＠example.com`, digits split by zero-width spaces and card groups joined by no-break spaces
 * are found; each match is mapped back to the original text. One pass over the characters decides
 * which scans can find anything; each scan reads every character a bounded number of times and
 * validates its candidates (mod-97, IIN ranges and Luhn, SSN rules, numbering metadata from
 * libphonenumber-js) instead of backtracking. Matches are kept in priority order
 * ({@link DETECTOR_KINDS}): a later match overlapping an earlier one is dropped.
 */
import { scanDigitRuns, type NumberSwitches } from './digit-runs.js';
import { isWholeEmail, scanEmail } from './email.js';
import { scanIban } from './iban.js';
import { scanIpv6 } from './ipv6.js';
import { MatchSet } from './match-set.js';
import { foldForScan, isInvisible } from './normalize.js';
import type { DetectorSwitches, PiiDetectorKind, PiiMatch } from './types.js';

/** A detector set with precomputed switches. Stateless between calls; safe to share. */
export class PiiDetectors {
  private readonly email: boolean;
  private readonly iban: boolean;
  private readonly ipv6: boolean;
  private readonly numbers: NumberSwitches;
  private readonly anyNumber: boolean;

  /** `switches` turns single detectors off (`{ ipv4: false }`); all are on by default. */
  constructor(switches: DetectorSwitches = {}) {
    this.email = switches.email !== false;
    this.iban = switches.iban !== false;
    this.ipv6 = switches.ipv6 !== false;
    this.numbers = {
      ipv4: switches.ipv4 !== false,
      card: switches.card !== false,
      phone: switches.phone !== false,
      ssn: switches.ssn !== false,
    };
    this.anyNumber = this.numbers.ipv4 || this.numbers.card || this.numbers.phone || this.numbers.ssn;
  }

  /**
   * The PII in `text`, sorted by position (indices into `text` itself, also when it held
   * fullwidth or invisible characters), or `undefined` when there is none.
   */
  find(text: string): PiiMatch[] | undefined {
    if (text.length < 3) return undefined;
    const flags = survey(text, true);
    if (flags === NON_ASCII) {
      const folded = foldForScan(text);
      if (folded === undefined) return undefined;
      const found = this.scan(folded.text, survey(folded.text, false));
      if (found === undefined) return undefined;
      return found.map((m) => ({
        start: folded.from[m.start] as number,
        end: folded.to[m.end - 1] as number,
        kind: m.kind,
      }));
    }
    return this.scan(text, flags);
  }

  /** The kind of `text` when the whole (trimmed) string is one PII value, else `undefined`. */
  classify(text: string): PiiDetectorKind | undefined {
    let trimmed = text.trim();
    // invisible characters at the ends are no part of the value either
    if (trimmed.charCodeAt(0) < 128 && trimmed.charCodeAt(trimmed.length - 1) < 128) return this.whole(trimmed);
    let from = 0;
    let to = trimmed.length;
    while (from < to && isInvisible(trimmed.charCodeAt(from))) from++;
    while (to > from && isInvisible(trimmed.charCodeAt(to - 1))) to--;
    if (from > 0 || to < trimmed.length) trimmed = trimmed.slice(from, to).trim();
    return this.whole(trimmed);
  }

  /** The kind of the only match of `text` when it spans all of it. */
  private whole(trimmed: string): PiiDetectorKind | undefined {
    // an address spanning everything is the only match (scanned first, overlapping ones dropped)
    if (this.email && isWholeEmail(trimmed)) return 'email';
    const found = this.find(trimmed);
    if (found?.length !== 1) return undefined;
    const only = found[0] as PiiMatch;
    return only.start === 0 && only.end === trimmed.length ? only.kind : undefined;
  }

  /** Runs the scans that can match, given what {@link survey} saw. */
  private scan(text: string, flags: number): PiiMatch[] | undefined {
    if ((flags & (AT | COLON | IBAN_PAIR | FREE_DIGIT)) === 0) return undefined;
    // one set reused by every scan (scans never nest); its matches array is handed out and replaced
    const found = SHARED_SET.reset(text.length);
    if ((flags & AT) !== 0 && this.email) scanEmail(text, found);
    if ((flags & IBAN_PAIR) !== 0 && this.iban && text.length >= 15) scanIban(text, found);
    if ((flags & COLON) !== 0 && this.ipv6) scanIpv6(text, found);
    if ((flags & FREE_DIGIT) !== 0 && surveyDigits >= 4 && this.anyNumber)
      scanDigitRuns(text, surveyFirstDigit, found, this.numbers);
    return found.sorted();
  }
}

const SHARED_SET = new MatchSet(0);

const AT = 1;
const COLON = 2;
/** Two letters then two digits: where an IBAN can start. */
const IBAN_PAIR = 4;
/** A digit not glued to a word before it (directly or through `-`/`.`): where a number can start. */
const FREE_DIGIT = 8;
/** Set alone when the text holds a character outside ASCII (then nothing else was looked at). */
const NON_ASCII = 16;

/** Digits and first digit seen by the last {@link survey} (read right after it). */
let surveyDigits = 0;
let surveyFirstDigit = -1;

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * One pass over `text`: which scans can find anything (bit set of {@link AT}, {@link COLON},
 * {@link IBAN_PAIR}, {@link FREE_DIGIT}), or, with `stopAtNonAscii`, {@link NON_ASCII} as soon as
 * a character outside ASCII shows (the text is folded first then).
 */
function survey(text: string, stopAtNonAscii: boolean): number {
  const n = text.length;
  let flags = 0;
  let digits = 0;
  let first = -1;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits++ === 0) first = i;
      if (prev >= 48 && prev <= 57) {
        if (i >= 3 && isLetterCode(text.charCodeAt(i - 2)) && isLetterCode(text.charCodeAt(i - 3))) flags |= IBAN_PAIR;
      } else if (
        (flags & FREE_DIGIT) === 0 &&
        !isWord(prev) &&
        !((prev === 45 || prev === 46) && i >= 2 && isWord(text.charCodeAt(i - 2)))
      ) {
        flags |= FREE_DIGIT;
      }
    } else if (c === 64) {
      flags |= AT;
    } else if (c === 58) {
      flags |= COLON;
    } else if (c > 127 && stopAtNonAscii) {
      return NON_ASCII;
    }
    prev = c;
  }
  surveyDigits = digits;
  surveyFirstDigit = first;
  return flags;
}
