/**
 * Content detectors: find e-mail addresses, phone numbers, payment cards, IBANs and IP addresses
 * inside a string. Cheap character pre-checks decide which regexes run at all (no `@` → no e-mail
 * scan, no digit → no number scan, no `:` → no IPv6 scan), and a string without PII costs no
 * allocation. Matches are found on the original text in priority order ({@link DETECTOR_KINDS});
 * a later match overlapping an earlier one is dropped, so a replacement is never re-scanned.
 */
import { isIPv6 } from 'node:net';
import { ibanValid, luhnValid } from './checksums.js';
import type { DetectorSwitches, PiiDetectorKind, PiiMatch } from './types.js';

/** Local part, `@`, dotted domain with an alphabetic TLD. */
const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;
/** Country code, check digits, 11–30 alphanumerics in optional groups of any size. */
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![a-z0-9])/g;
/** Dotted quad at the start of a digit run (octets checked separately). */
const IPV4_IN_RUN = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;
const ANY_DIGIT = /\d/;
const DATE_LIKE = /^\(?\d{4}[-. ]\d{1,2}[-. ]\d{1,2}|^\d{1,2}[-.]\d{1,2}[-.]\d{4}/;

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
    if (text.length < 3) return undefined;
    const hasAt = text.indexOf('@') >= 0;
    const hasColon = text.indexOf(':') >= 0;
    const hasDigit = ANY_DIGIT.test(text);
    if (!hasAt && !hasDigit && !hasColon) return undefined;
    let found: PiiMatch[] | undefined;
    if (hasAt && this.email) found = scanEmail(text, found);
    if (hasDigit && this.iban && text.length >= 15) found = scanIban(text, found);
    if (hasColon && this.ipv6) found = scanIpv6(text, found);
    if (hasDigit && (this.card || this.phone || this.ipv4)) found = this.scanDigitRuns(text, found);
    if (found && found.length > 1) found.sort((a, b) => a.start - b.start);
    return found;
  }

  /** The kind of `text` when the whole (trimmed) string is one PII value, else `undefined`. */
  classify(text: string): PiiDetectorKind | undefined {
    const trimmed = text.trim();
    const found = this.find(trimmed);
    if (found?.length === 1) {
      const only = found[0] as PiiMatch;
      if (only.start === 0 && only.end === trimmed.length) return only.kind;
    }
    return undefined;
  }

  /**
   * Finds runs of digits and separators (space, `-`, `.`, parentheses; optionally led by `+` or
   * `(`) that are not glued to a word — directly or through `-`/`.` (keeps `LEAD-000123`, UUID
   * groups and ISO dates out) — and classifies each as IPv4, card, phone or nothing.
   */
  private scanDigitRuns(text: string, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
    const n = text.length;
    let i = 0;
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
      }
      // extend over digits and separators (past a leading `(+`: `+` is no separator, and a run
      // that stopped at it would be empty and scanned again forever), then back off to the last digit
      let end = c === 40 && text.charCodeAt(start + 1) === 43 ? start + 2 : start + 1;
      while (end < n && isRunChar(text.charCodeAt(end))) end++;
      while (end > start && !isDigit(text.charCodeAt(end - 1))) end--;
      if (!gluedBefore(text, start)) {
        if (this.ipv4 && end - start >= 7) found = scanIpv4InRun(text, start, end, found);
        // the longest free-standing prefix (cut at spaces) that is a card or phone: a number
        // followed by another one (`+1 415 555 0100 12`) or by other PII is still found
        let cut = end;
        let hit = false;
        while (cut - start >= 7) {
          if (!gluedAfter(text, cut)) {
            const run = text.slice(start, cut);
            const kind = this.classifyRun(run);
            // a cut prefix counts only as a card or a `+`-written phone number
            if (kind !== undefined && (cut === end || kind === 'card' || isInternational(run)) && !overlaps(found, start, cut)) {
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
        i = hit ? cut : end;
        continue;
      }
      // glued to a word: skip the first group and retry from the next one
      while (start < end && (isDigit(text.charCodeAt(start)) || text.charCodeAt(start) === 43 || text.charCodeAt(start) === 40)) start++;
      i = start + 1;
    }
    return found;
  }

  private classifyRun(run: string): PiiDetectorKind | undefined {
    let digits = 0;
    let groups = 1;
    let minGroup = 99;
    let maxGroup = 0;
    let current = 0;
    let parens = false;
    let dots = false;
    let prevDigit = false;
    for (let i = 0; i < run.length; i++) {
      const c = run.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        digits++;
        current++;
        prevDigit = true;
        continue;
      }
      if (c === 40 || c === 41) parens = true;
      else if (c === 46) dots = true;
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
    const plus = run.charCodeAt(0) === 43 || run.charCodeAt(1) === 43;
    if (this.card && !plus && !parens && !dots && digits >= 13 && digits <= 19 && luhnValid(onlyDigits(run))) {
      return 'card';
    }
    if (!this.phone || digits < 7 || digits > 15) return undefined;
    if (plus) return 'phone';
    const trunk = run.charCodeAt(0) === 48;
    if (trunk && run.charCodeAt(1) === 48 && isCountryStart(run.charCodeAt(2)) && digits >= 9 && groups >= 2) return 'phone'; // 00 international prefix
    if (DATE_LIKE.test(run)) return undefined;
    if (parens) return groups >= 2 && digits >= 9 ? 'phone' : undefined;
    if (digits < 9 || digits > 12 || minGroup < 2 || maxGroup > 5) return undefined;
    if (dots && run.search(/[ -]/) >= 0) return undefined; // `123.45 678.90`: amounts, not a phone
    if (groups === 3 || groups === 4) return 'phone';
    return groups === 2 && trunk ? 'phone' : undefined;
  }
}

function scanIpv4InRun(text: string, start: number, end: number, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
  const run = text.slice(start, end);
  if (run.indexOf('.') < 0) return found;
  IPV4_IN_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IPV4_IN_RUN.exec(run)) !== null) {
    if (m[0].split('.').every((p) => Number(p) <= 255)) found = add(found, start + m.index, start + m.index + m[0].length, 'ipv4');
  }
  return found;
}

/** Starts with `+` or `(+`. */
function isInternational(run: string): boolean {
  const c = run.charCodeAt(0);
  return c === 43 || (c === 40 && run.charCodeAt(1) === 43);
}

/** A country calling code starts with 1–9. */
function isCountryStart(c: number): boolean {
  return c >= 49 && c <= 57;
}

function overlaps(found: PiiMatch[] | undefined, start: number, end: number): boolean {
  if (found === undefined) return false;
  for (const f of found) if (start < f.end && end > f.start) return true;
  return false;
}

function add(found: PiiMatch[] | undefined, start: number, end: number, kind: PiiDetectorKind): PiiMatch[] {
  if (found === undefined) return [{ start, end, kind }];
  for (const f of found) if (start < f.end && end > f.start) return found;
  found.push({ start, end, kind });
  return found;
}

function onlyDigits(s: string): string {
  return s.replace(/\D+/g, '');
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

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Digit or phone/card separator: space, `(`, `)`, `-`, `.`. */
function isRunChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 32 || c === 40 || c === 41 || c === 45 || c === 46;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordOrDot(c: number): boolean {
  return isWordChar(c) || c === 46;
}

function isHexOrColon(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** True when the run at `start` follows a word character, `+`, or a word character and `-`/`.`. */
function gluedBefore(text: string, start: number): boolean {
  if (start === 0) return false;
  const p = text.charCodeAt(start - 1);
  if (isWordChar(p) || p === 43) return true;
  return (p === 45 || p === 46) && start >= 2 && isWordChar(text.charCodeAt(start - 2));
}

/** True when the run ending at `end` is followed by a word character, or by `-`/`.` and one. */
function gluedAfter(text: string, end: number): boolean {
  if (end >= text.length) return false;
  const c = text.charCodeAt(end);
  if (isWordChar(c)) return true;
  return (c === 45 || c === 46) && end + 1 < text.length && isWordChar(text.charCodeAt(end + 1));
}
