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
import { dottedQuadEnd, gluedAfter, gluedBefore } from './run-checks.js';
import { firstFolded, foldForScan, isInvisible, scannedAsIs } from './normalize.js';
import { extensionEnd, internationalPossible } from './phone.js';
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
    const n = text.length;
    if (n < 3) return undefined;
    if (n < 15) {
      // a value that is one IPv4 address (a common attribute): what the full scan finds in it,
      // read in one pass (only digits and dots: no other scan can match, and the dotted quad is
      // the number scan's first match, overlapping every other candidate)
      if (n >= 7 && this.numbers.ipv4 && isDigitCode(text.charCodeAt(n - 1)) && dottedQuadEnd(text, 0, n) === n)
        return [{ start: 0, end: n, kind: 'ipv4' }];
      if (holdsNothingShort(text)) return undefined;
    }
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

  /**
   * The kind of the only match of `trimmed` when it spans all of it. A value spanning everything
   * shows at its ends, so one cheap pass rules most strings out before any scan: an `@` leaves
   * only an e-mail address; without one, a whole value ends with a digit (numbers, IPv4, IBAN,
   * IPv6), a hex digit or `:` (IPv6, which needs a `:`) or a letter or digit (IBAN, which starts
   * with two letters and two digits). Text outside ASCII is scanned as a whole (it is folded).
   */
  private whole(trimmed: string): PiiDetectorKind | undefined {
    const n = trimmed.length;
    if (n < 3) return undefined;
    const last = trimmed.charCodeAt(n - 1);
    // (a character kept as it is by folding ends no value: every kind ends with ASCII)
    if (last > 127 && !scannedAsIs(last)) return this.onlyMatch(trimmed);
    // an address spanning everything is the only match (scanned first, overlapping ones dropped);
    // no other kind holds an `@`
    const at = trimmed.indexOf('@');
    if (at >= 0) {
      if (this.email && isWholeEmail(trimmed, at)) return 'email';
      return firstFolded(trimmed) < 0 ? undefined : this.onlyMatch(trimmed);
    }
    if (last >= 48 && last <= 57) {
      // digits and separators only: the number scan is the only one that can match
      // (`spaced`: `+`, then digit groups split by single spaces)
      let spaced = trimmed.charCodeAt(0) === 43 && isDigitCode(trimmed.charCodeAt(1));
      let digits = 0;
      for (let i = 0; i < n; i++) {
        const c = trimmed.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          digits++;
        } else if (c === 32 || (c >= 40 && c <= 47 && c !== 42 && c !== 44)) {
          if (i > 0 && (c !== 32 || trimmed.charCodeAt(i - 1) === 32)) spaced = false;
        } else {
          return this.onlyMatch(trimmed);
        }
      }
      if (!this.anyNumber) return undefined;
      // a possible international number so written: the scan would find it spanning everything
      // (no card, SSN or IPv4 starts with `+`), so it is not run
      if (spaced && this.numbers.phone && digits >= 7 && digits <= 17 && internationalPossible(trimmed, 0, n))
        return 'phone';
      return onlySpanning(this.scanNumbers(trimmed), n);
    }
    if (!isLetterCode(last) && last !== 58) return undefined;
    const c0 = trimmed.charCodeAt(0);
    // an IBAN starts with two letters and two digits (`isLetterCode` of a fullwidth letter: false,
    // but then the text is not ASCII and is scanned whole below)
    const ibanStart =
      n >= 15 &&
      isLetterCode(c0) &&
      isLetterCode(trimmed.charCodeAt(1)) &&
      isDigitCode(trimmed.charCodeAt(2)) &&
      isDigitCode(trimmed.charCodeAt(3));
    if (ibanStart) return this.onlyMatch(trimmed);
    // an IPv6 address holds a `:` and ends with a hex digit or `:`
    if ((last === 58 || isHexLetter(last)) && trimmed.indexOf(':') >= 0) return this.onlyMatch(trimmed);
    return firstFolded(trimmed) < 0 ? undefined : this.onlyMatch(trimmed);
  }

  /** The numbers (IPv4, card, SSN, phone) of `text`, known to hold only digits and separators (`+`, `(`, `)`, ` `, `-`, `.`, `/`). */
  private scanNumbers(text: string): PiiMatch[] | undefined {
    let first = 0;
    while (first < text.length && !isDigitCode(text.charCodeAt(first))) first++;
    const found = SHARED_SET.reset(text.length);
    scanDigitRuns(text, first, found, this.numbers);
    return found.sorted();
  }

  /** The kind of the only match of `text` when it spans all of it (a full scan). */
  private onlyMatch(text: string): PiiDetectorKind | undefined {
    return onlySpanning(this.find(text), text.length);
  }

  /** Runs the scans that can match, given what {@link survey} saw. */
  private scan(text: string, flags: number): PiiMatch[] | undefined {
    if ((flags & (AT | COLON | IBAN_PAIR | FREE_DIGIT)) === 0) return undefined;
    // one set reused by every scan (scans never nest); its matches array is handed out and replaced
    const found = SHARED_SET.reset(text.length);
    if ((flags & AT) !== 0 && this.email) scanEmail(text, found);
    if ((flags & IBAN_PAIR) !== 0 && this.iban && text.length >= 15) scanIban(text, found);
    if ((flags & COLON) !== 0 && this.ipv6) scanIpv6(text, found);
    if ((flags & FREE_DIGIT) !== 0 && surveyRun >= 0 && this.anyNumber)
      scanDigitRuns(text, surveyRun, found, this.numbers);
    return found.sorted();
  }
}

const SHARED_SET = new MatchSet(0);

/**
 * True when `text` (shorter than the shortest IBAN, 15 characters) can hold no value: no `@`,
 * no `:`, no character that folding changes, fewer than 7 digits (the shortest number), and fewer
 * than 4 digits or no `.` (a dotted quad).
 */
function holdsNothingShort(text: string): boolean {
  let digits = 0;
  let dot = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 64 || c === 58) return false;
    else if (c === 46) dot = true;
    else if (c > 127 && !scannedAsIs(c)) return false;
  }
  return digits < 7 && (digits < 4 || !dot);
}

/** The kind of the match in `found` when it is the only one and spans `[0, length)`. */
function onlySpanning(found: PiiMatch[] | undefined, length: number): PiiDetectorKind | undefined {
  if (found?.length !== 1) return undefined;
  const only = found[0] as PiiMatch;
  return only.start === 0 && only.end === length ? only.kind : undefined;
}

const AT = 1;
const COLON = 2;
/** Two letters then two digits: where an IBAN can start. */
const IBAN_PAIR = 4;
/** A digit not glued to a word before it (directly or through `-`/`.`): where a number can start. */
const FREE_DIGIT = 8;
/** Set alone when the text holds a character outside ASCII (then nothing else was looked at). */
const NON_ASCII = 16;

/**
 * Start of the first digit run the last {@link survey} saw that the number scan can classify
 * (read right after it), or -1: a run of digit groups joined by up to three separators
 * (`digit-runs.ts`) with at least 7 digits, or at least 4 digits in 4 groups (a dotted quad),
 * where a candidate can start: at the run itself (not glued to a word before it), after a space
 * inside it, or at any group of 4 or more (a dotted quad). Runs before it yield nothing in that
 * scan, so it starts there.
 */
let surveyRun = -1;

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexLetter(c: number): boolean {
  return (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * One pass over `text`: which scans can find anything (bit set of {@link AT}, {@link COLON},
 * {@link IBAN_PAIR}, {@link FREE_DIGIT}), or, with `stopAtNonAscii`, {@link NON_ASCII} as soon as
 * a character that folding changes shows (the text is folded first then). Letters and each group
 * of digits are read in a tight loop of their own.
 */
function survey(text: string, stopAtNonAscii: boolean): number {
  const n = text.length;
  let flags = 0;
  let run = -1;
  // the digit run being read: its start, digits and groups, whether a candidate can start in it;
  // separators since its last digit, and whether they hold a space
  let runStart = 0;
  let runDigits = 0;
  let runGroups = 0;
  let runOpen = false;
  let runSpaced = false;
  let separators = 0;
  let spaced = false;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c > 64) {
      // letters and most punctuation (the common case)
      runDigits = 0;
      do {
        if (c > 127 && stopAtNonAscii && !scannedAsIs(c)) return NON_ASCII;
        if (++i >= n) break;
        c = text.charCodeAt(i);
      } while (c > 64);
      if (i >= n) break;
    }
    if (c >= 48 && c <= 57) {
      // one group of digits
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (
        (flags & FREE_DIGIT) === 0 &&
        !isWord(prev) &&
        !((prev === 45 || prev === 46) && i >= 2 && isWord(text.charCodeAt(i - 2)))
      ) {
        flags |= FREE_DIGIT;
      }
      if (runDigits > 0 && separators > 0 && separators <= 3) {
        runGroups++;
        if (spaced) runSpaced = true;
      } else {
        runStart = i;
        runDigits = 0;
        runGroups = 1;
        runSpaced = false;
        runOpen = !gluedBefore(text, runOpenAt(text, i));
      }
      const group = i;
      i++;
      while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
      if (i - group >= 2 && group >= 2 && isLetterCode(prev) && isLetterCode(text.charCodeAt(group - 2)))
        flags |= IBAN_PAIR;
      runDigits += i - group;
      separators = 0;
      spaced = false;
      if (run < 0 && (runDigits >= 7 || (runDigits >= 4 && runGroups >= 4))) {
        // a dotted quad can be anywhere in 4 groups, a candidate start after a space; else the
        // only candidate is the whole run, once it ends (not followed by a word, or by an extension)
        if (runSpaced || runGroups >= 4) run = runStart;
        else if (runOpen && !groupFollows(text, i) && (!gluedAfter(text, i) || extensionEnd(text, i) >= 0))
          run = runStart;
      }
      continue;
    }
    if (c === 32 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41) {
      separators++;
      if (c === 32) spaced = true;
    } else {
      runDigits = 0;
      if (c === 64) flags |= AT;
      else if (c === 58) flags |= COLON;
    }
    i++;
  }
  surveyRun = run;
  return flags;
}

/** True when another digit group of the same run follows the group ending at `end` (1–3 separators, then a digit). */
function groupFollows(text: string, end: number): boolean {
  let q = end;
  while (q < text.length && q - end < 3) {
    const c = text.charCodeAt(q);
    if (!(c === 32 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41)) break;
    q++;
  }
  return q > end && isDigitCode(text.charCodeAt(q));
}

/** Where the number scan starts a run whose first digit is at `i`: before a `+` and a `(` there. */
function runOpenAt(text: string, i: number): number {
  let start = i;
  if (text.charCodeAt(start - 1) === 43) start--;
  if (text.charCodeAt(start - 1) === 40) start--;
  return start;
}
