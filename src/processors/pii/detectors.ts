/**
 * Content detectors: find e-mail addresses, phone numbers, payment cards, IBANs and IP addresses
 * inside a string. Cheap character pre-checks decide which scans run at all (no `@` → no e-mail
 * scan, no digit → no number scan, no `:` → no IPv6 scan, no upper-case letter pair before two
 * digits → no IBAN scan), and a string without PII costs no allocation. Matches are found on the
 * original text in priority order ({@link DETECTOR_KINDS}); a later match overlapping an earlier
 * one is dropped, so a replacement is never re-scanned. Number runs are read in place (see
 * `run-checks.ts`), and `classify` decides most whole values without running every scan.
 */
import { isIPv6 } from 'node:net';
import { ibanValid, luhnValidIn } from './checksums.js';
import {
  add,
  dateLike,
  dottedQuadEnd,
  gluedAfter,
  gluedBefore,
  isCountryStart,
  isDigit,
  isHexOrColon,
  isInternational,
  isLetter,
  isUpper,
  isRunChar,
  isVisibleAscii,
  isWordOrDot,
  overlaps,
  scanIpv4InRun,
} from './run-checks.js';
import type { DetectorSwitches, PiiDetectorKind, PiiMatch } from './types.js';

/** Local part, `@`, dotted domain with an alphabetic TLD. */
const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;
/** {@link EMAIL} matched only where `lastIndex` points (the leftmost match when that is 0). */
const EMAIL_AT = new RegExp(EMAIL.source, 'y');
/** Country code, check digits, 11–30 alphanumerics in optional groups of any size. */
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![a-z0-9])/g;
/** Any digit; after `test`, `lastIndex` is just past the first one from where it started. */
const DIGIT = /\d/g;
/**
 * Where any scan could find something: an `@` (e-mail), a `:` (IPv6), two upper-case letters
 * before two digits (IBAN), or a digit or `+` and digit not glued to a word (see `gluedBefore`;
 * every digit run the digit-run scan classifies starts so, or with `(` before such a start).
 * No match: no PII in the text.
 */
const MAY_HOLD_PII = /[@:]|[A-Z]{2}\d\d|(?<![A-Za-z0-9_+])(?<![A-Za-z0-9_][-.])\+?\d/;
/** Up to this many characters a loop over them costs less than a native search (indexOf, regex). */
const SHORT = 16;
/** What the digit-run scan returns when asked to stop where an IBAN could start. */
const IBAN_START: PiiMatch[] = [];

/** A detector set with precomputed switches. Stateless between calls; safe to share. */
export class PiiDetectors {
  private readonly email: boolean;
  private readonly iban: boolean;
  private readonly ipv6: boolean;
  private readonly ipv4: boolean;
  private readonly card: boolean;
  private readonly phone: boolean;

  /** `switches` turns single detectors off (`{ ipv4: false }`); all are on by default. */
  constructor(switches: DetectorSwitches = {}) {
    this.email = switches.email !== false;
    this.iban = switches.iban !== false;
    this.ipv6 = switches.ipv6 !== false;
    this.ipv4 = switches.ipv4 !== false;
    this.card = switches.card !== false;
    this.phone = switches.phone !== false;
  }

  /** The PII in `text`, sorted by position, or `undefined` when there is none (no allocation). */
  find(text: string): PiiMatch[] | undefined {
    const n = text.length;
    if (n < 3) return undefined;
    let hasAt = false;
    let hasColon = false;
    let firstDigit = -1;
    let runs: boolean;
    if (n <= SHORT) {
      let digits = 0;
      let hasDot = false;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > 64) continue;
        if (c >= 48) {
          if (c <= 57) {
            if (digits++ === 0) firstDigit = i;
          } else if (c === 58) {
            hasColon = true;
          } else if (c === 64) {
            hasAt = true;
          }
        } else if (c === 46) {
          hasDot = true;
        }
      }
      // a card or phone number has at least 7 digits, a dotted quad 4 and three dots
      runs = digits >= 7 || (digits >= 4 && hasDot && this.ipv4);
      // an IP address alone (digits and dots only): no other scan can match, no prefix of it either
      if (runs && firstDigit === 0 && this.ipv4 && isDigit(text.charCodeAt(n - 1)) && dottedQuadEnd(text, 0, n) === n) {
        return [{ start: 0, end: n, kind: 'ipv4' }];
      }
      if (!runs && !hasAt && !hasColon && n < 15) return undefined;
    } else {
      if (!MAY_HOLD_PII.test(text)) return undefined;
      hasAt = text.indexOf('@') >= 0;
      hasColon = text.indexOf(':') >= 0;
      DIGIT.lastIndex = 0;
      if (DIGIT.test(text)) firstDigit = DIGIT.lastIndex - 1;
      runs = firstDigit >= 0;
    }
    if (!hasAt && firstDigit < 0 && !hasColon) return undefined;
    return this.scan(text, hasAt, hasColon, firstDigit, runs && (this.card || this.phone || this.ipv4));
  }

  /** The kind of `text` when the whole (trimmed) string is one PII value, else `undefined`. */
  classify(text: string): PiiDetectorKind | undefined {
    // (`trim` only when an end is not visible ASCII: it would return `text` itself anyway)
    const trimmed = isVisibleAscii(text.charCodeAt(0)) && isVisibleAscii(text.charCodeAt(text.length - 1)) ? text : text.trim();
    const n = trimmed.length;
    if (n < 3) return undefined;
    const c0 = trimmed.charCodeAt(0);
    // a match spanning everything shows at the ends: a dotted quad or digit run ends with a digit,
    // an e-mail address with a letter (of its top-level domain), an IPv6 address with a hex digit
    // or `:`; and only an e-mail address holds an `@`
    const last = trimmed.charCodeAt(n - 1);
    const digitLast = isDigit(last);
    // digits and dots only, one dotted quad: no other detector matches there
    if (this.ipv4 && digitLast && isDigit(c0) && dottedQuadEnd(trimmed, 0, n) === n) return 'ipv4';
    if (isLetter(last) && trimmed.indexOf('@') >= 0) {
      if (this.email) {
        // e-mail is scanned first and later matches overlapping it are dropped: an address
        // spanning the whole string is the only match, and any other one leaves no single value
        EMAIL_AT.lastIndex = 0;
        if (EMAIL_AT.test(trimmed)) return EMAIL_AT.lastIndex === n ? 'email' : undefined;
        EMAIL.lastIndex = 0;
        if (EMAIL.test(trimmed)) return undefined;
      }
      return onlyWhole(this.find(trimmed), n);
    }
    // an IPv6 address (a hex digit or `:` at both ends, a `:` in it), an IBAN (two upper-case
    // letters and two digits first) or a digit run; the scans below reject an `@` themselves
    const ipv6 = isHexOrColon(c0) && isHexOrColon(last) && trimmed.indexOf(':') >= 0;
    if (ipv6 || (isUpper(c0) && isUpper(trimmed.charCodeAt(1)) && isDigit(trimmed.charCodeAt(2)) && isDigit(trimmed.charCodeAt(3)))) {
      return onlyWhole(this.find(trimmed), n);
    }
    return digitLast && (isDigit(c0) || c0 === 43 || c0 === 40) ? this.classifyWholeRun(trimmed) : undefined;
  }

  /**
   * What `classify` answers for `text` when it starts like a digit run (a digit, `+` or `(`),
   * ends with a digit and is no candidate IPv6 address, worked out without building matches: a
   * match spans everything only when the whole text is one digit run starting at 0 — then it
   * holds no `@`, `:` or letter, and the other scans find nothing in it — with no dotted quad in
   * it (one spanning everything was taken by `classify`; any other leaves no single value), and
   * the whole run has a kind (a shorter prefix found instead leaves no single value either).
   */
  private classifyWholeRun(text: string): PiiDetectorKind | undefined {
    const n = text.length;
    if (n < 7 || !(this.card || this.phone || this.ipv4)) return undefined;
    const c0 = text.charCodeAt(0);
    const first = c0 === 40 && text.charCodeAt(1) === 43 ? 2 : isDigit(c0) ? 0 : 1;
    if (!isDigit(text.charCodeAt(first))) return undefined; // the first run starts later
    const kind = this.classifyRun(text, 0, n);
    if (!kind) return undefined;
    if (this.ipv4 && text.indexOf('.') >= 0 && scanIpv4InRun(text, 0, n, undefined) !== undefined) return undefined;
    return kind;
  }

  /** Runs the detectors that can match, given what the pre-checks saw (`firstDigit` -1: none). */
  private scan(text: string, hasAt: boolean, hasColon: boolean, firstDigit: number, runs: boolean): PiiMatch[] | undefined {
    // an IBAN starts with two upper-case letters and two digits, and the digit-run scan passes
    // every such pair: when it runs, it says whether the IBAN scan can find anything at all
    const iban = firstDigit >= 0 && this.iban && text.length >= 15;
    let found: PiiMatch[] | undefined;
    if (hasAt && this.email) found = scanEmail(text, found);
    if (iban && !runs) found = scanIban(text, found);
    if (hasColon && this.ipv6) found = scanIpv6(text, found);
    if (runs) {
      // a run starts at its first digit or at most two characters before it (`+`, `(`, `(+`)
      const from = firstDigit < 2 ? 0 : firstDigit - 2;
      found = this.scanDigitRuns(text, from, found, iban);
      if (found === IBAN_START) {
        // scan again in priority order, the IBAN scan before the IPv6 and digit-run scans
        found = hasAt && this.email ? scanEmail(text, undefined) : undefined;
        found = scanIban(text, found);
        if (hasColon && this.ipv6) found = scanIpv6(text, found);
        found = this.scanDigitRuns(text, from, found, false);
      }
    }
    if (found && found.length > 1) found.sort((a, b) => a.start - b.start);
    return found;
  }

  /**
   * Finds runs of digits and separators (space, `-`, `.`, parentheses; optionally led by `+` or
   * `(`) that are not glued to a word — directly or through `-`/`.` (keeps `LEAD-000123`, UUID
   * groups and ISO dates out) — and classifies each as IPv4, card, phone or nothing. Starts at
   * `from`; no run starts earlier. With `stopAtIban`, returns {@link IBAN_START} as soon as a
   * digit pair follows two upper-case letters (where an IBAN could start).
   */
  private scanDigitRuns(text: string, from: number, found: PiiMatch[] | undefined, stopAtIban: boolean): PiiMatch[] | undefined {
    const n = text.length;
    let i = from;
    while (i < n) {
      const c = text.charCodeAt(i);
      let start = i;
      if (c === 43 || c === 40) {
        // `+`, `(` or `(+` directly before a digit
        let k = i + 1;
        if (c === 40 && text.charCodeAt(k) === 43) k++;
        if (!isDigit(text.charCodeAt(k))) {
          i++;
          continue;
        }
      } else if (!isDigit(c)) {
        i++;
        continue;
      } else if (stopAtIban && isDigit(text.charCodeAt(i + 1)) && isUpper(text.charCodeAt(i - 1)) && isUpper(text.charCodeAt(i - 2))) {
        return IBAN_START;
      }
      // extend over digits and separators (past a leading `(+`: `+` is no separator, and a run
      // that stopped at it would be empty and scanned again forever), then back off to the last digit
      let end = c === 40 && text.charCodeAt(start + 1) === 43 ? start + 2 : start + 1;
      while (end < n && isRunChar(text.charCodeAt(end))) end++;
      while (end > start && !isDigit(text.charCodeAt(end - 1))) end--;
      if (!gluedBefore(text, start)) {
        if (this.ipv4 && end - start >= 7) {
          const dot = text.indexOf('.', start);
          if (dot >= 0 && dot < end) found = scanIpv4InRun(text, start, end, found);
        }
        // the longest free-standing prefix (cut at spaces) that is a card or phone: a number
        // followed by another one (`+1 415 555 0100 12`) or by other PII is still found; a match
        // over the first 7 characters (an IPv4 address) overlaps every prefix, so none is tried
        let cut = end;
        let hit = false;
        while (cut - start >= 7 && !overlaps(found, start, start + 7)) {
          if (!gluedAfter(text, cut)) {
            const kind = this.classifyRun(text, start, cut);
            // a cut prefix counts only as a card or a `+`-written phone number
            if (kind && (cut === end || kind === 'card' || isInternational(text, start)) && !overlaps(found, start, cut)) {
              found = add(found, start, cut, kind);
              hit = true;
              break;
            }
          }
          const space = text.lastIndexOf(' ', cut - 1);
          if (space <= start) break;
          cut = space;
          while (cut > start && !isDigit(text.charCodeAt(cut - 1))) cut--;
        }
        // a free-standing run that is no PII is skipped whole (its tail is not a number of its own)
        i = nextRunStart(text, hit ? cut : end);
        continue;
      }
      // glued to a word: skip the first group and retry from the next one
      while (start < end && (isDigit(text.charCodeAt(start)) || text.charCodeAt(start) === 43 || text.charCodeAt(start) === 40)) start++;
      i = nextRunStart(text, start + 1);
    }
    return found;
  }

  /**
   * The kind of the run `text.slice(start, end)` (at least 7 characters), read in place; `null`
   * when that is not one run (a character other than a digit or separator, or a `+` other than
   * first or second after `(`).
   */
  private classifyRun(text: string, start: number, end: number): PiiDetectorKind | undefined | null {
    const c0 = text.charCodeAt(start);
    let digits = 0;
    let groups = 1;
    let minGroup = 99;
    let maxGroup = 0;
    let current = 0;
    let parens = false;
    let dots = false;
    let spaceOrDash = false;
    let prevDigit = false;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        digits++;
        current++;
        prevDigit = true;
        continue;
      }
      if (c === 40 || c === 41) parens = true;
      else if (c === 46) dots = true;
      else if (c === 32 || c === 45) spaceOrDash = true;
      else if (c !== 43 || !(i === start || (i === start + 1 && c0 === 40))) return null;
      if (prevDigit) {
        groups++;
        if (current < minGroup) minGroup = current;
        if (current > maxGroup) maxGroup = current;
        current = 0;
      }
      prevDigit = false;
    }
    if (current < minGroup) minGroup = current;
    if (current > maxGroup) maxGroup = current;
    const c1 = text.charCodeAt(start + 1);
    const plus = c0 === 43 || c1 === 43;
    if (this.card && !plus && !parens && !dots && digits >= 13 && digits <= 19 && luhnValidIn(text, start, end)) {
      return 'card';
    }
    if (!this.phone || digits < 7 || digits > 15) return undefined;
    if (plus) return 'phone';
    const trunk = c0 === 48;
    if (trunk && c1 === 48 && isCountryStart(text.charCodeAt(start + 2)) && digits >= 9 && groups >= 2) return 'phone'; // 00 international prefix
    if (dateLike(text, start, end)) return undefined;
    if (parens) return groups >= 2 && digits >= 9 ? 'phone' : undefined;
    if (digits < 9 || digits > 12 || minGroup < 2 || maxGroup > 5) return undefined;
    if (dots && spaceOrDash) return undefined; // `123.45 678.90`: amounts, not a phone
    if (groups === 3 || groups === 4) return 'phone';
    return groups === 2 && trunk ? 'phone' : undefined;
  }
}

/**
 * Where the digit-run scan goes on from `i`: a long rest is searched natively for its next digit
 * (a run starts there or at most two characters before it); a short one is stepped through.
 */
function nextRunStart(text: string, i: number): number {
  if (text.length - i <= SHORT) return i;
  DIGIT.lastIndex = i;
  if (!DIGIT.test(text)) return text.length;
  const digit = DIGIT.lastIndex - 1;
  return digit - 2 > i ? digit - 2 : i;
}

function scanEmail(text: string, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
  EMAIL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = EMAIL.exec(text)) !== null) found = add(found, m.index, m.index + m[0].length, 'email');
  return found;
}

function scanIban(text: string, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
  IBAN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IBAN.exec(text)) !== null) {
    // the greedy match may have swallowed a following upper-case word: drop trailing groups until valid
    let candidate = m[0];
    while (candidate.length >= 15) {
      if (ibanValid(candidate.replace(/ /g, ''))) {
        found = add(found, m.index, m.index + candidate.length, 'iban');
        IBAN.lastIndex = m.index + candidate.length;
        break;
      }
      const cut = candidate.lastIndexOf(' ');
      if (cut < 0) {
        IBAN.lastIndex = m.index + 1;
        break;
      }
      candidate = candidate.slice(0, cut);
    }
    if (candidate.length < 15) IBAN.lastIndex = m.index + 1;
  }
  return found;
}

/**
 * Around each `:`, takes the longest hex/colon/dot span not glued to a word and keeps it when
 * `net.isIPv6` accepts it (full, compressed and IPv4-tailed forms).
 */
function scanIpv6(text: string, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
  const n = text.length;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    let l = colon;
    while (l > 0 && isHexOrColon(text.charCodeAt(l - 1))) l--;
    let r = colon + 1;
    while (r < n && (isHexOrColon(text.charCodeAt(r)) || text.charCodeAt(r) === 46)) r++;
    while (r > colon && text.charCodeAt(r - 1) === 46) r--;
    if (!(l > 0 && isWordOrDot(text.charCodeAt(l - 1))) && !(r < n && isWordOrDot(text.charCodeAt(r)))) {
      const candidate = text.slice(l, r);
      if (candidate !== '::' && candidate.indexOf(':') !== candidate.lastIndexOf(':') && isIPv6(candidate)) {
        found = add(found, l, r, 'ipv6');
      }
    }
    colon = text.indexOf(':', Math.max(r, colon + 1));
  }
  return found;
}

/** The kind of the only match in `found` when it spans all `n` characters, else `undefined`. */
function onlyWhole(found: PiiMatch[] | undefined, n: number): PiiDetectorKind | undefined {
  if (found?.length !== 1) return undefined;
  const only = found[0] as PiiMatch;
  return only.start === 0 && only.end === n ? only.kind : undefined;
}
