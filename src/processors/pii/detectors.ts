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
/** Hex-and-colon run (with an optional dotted IPv4 tail), validated by `net.isIPv6`. */
const IPV6 = /(?<![\w:.])[0-9A-Fa-f:]{2,39}(?:\.\d{1,3}){0,3}/g;
/** Dotted quad not glued to other words or dots. */
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
/**
 * A run of digits with phone/card separators (space, `-`, `.`, parentheses), optionally led by `+`
 * or `(`. Not glued to a word, nor to a word through `-`/`.` (keeps `LEAD-000123`, UUID groups and
 * ISO dates out).
 */
const DIGIT_RUN = /(?<![A-Za-z0-9_+]|[A-Za-z0-9_][-.])(?:\+|\(\+?)?\d[\d .()-]*\d(?![A-Za-z0-9_]|[-.][A-Za-z0-9_])/g;
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
    let hasAt = false;
    let hasDigit = false;
    let hasColon = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 58) {
        if (c === 58) hasColon = true;
        else hasDigit = true;
      } else if (c === 64) hasAt = true;
    }
    if (!hasAt && !hasDigit && !hasColon) return undefined;
    let found: PiiMatch[] | undefined;
    if (hasAt && this.email) found = scanEmail(text, found);
    if (hasDigit) {
      if (this.iban && text.length >= 15) found = scanIban(text, found);
      if (hasColon && this.ipv6) found = scanIpv6(text, found);
      if (this.ipv4 && text.length >= 7) found = scanIpv4(text, found);
      if (this.card || this.phone) found = this.scanDigitRuns(text, found);
    } else if (hasColon && this.ipv6) {
      found = scanIpv6(text, found);
    }
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

  private scanDigitRuns(text: string, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
    DIGIT_RUN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = DIGIT_RUN.exec(text)) !== null) {
      const run = m[0];
      if (run.length < 7) continue;
      const kind = this.classifyRun(run);
      if (kind !== undefined) found = add(found, m.index, m.index + run.length, kind);
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
    if (trunk && run.charCodeAt(1) === 48 && digits >= 9 && groups >= 2) return 'phone'; // 00 international prefix
    if (DATE_LIKE.test(run)) return undefined;
    if (parens) return groups >= 2 && digits >= 9 ? 'phone' : undefined;
    if (digits < 9 || digits > 12 || minGroup < 2 || maxGroup > 5) return undefined;
    if (groups === 3 || groups === 4) return 'phone';
    return groups === 2 && trunk ? 'phone' : undefined;
  }
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
        break;
      }
      const cut = candidate.lastIndexOf(' ');
      if (cut < 0) break;
      candidate = candidate.slice(0, cut);
    }
  }
  return found;
}

function scanIpv6(text: string, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
  IPV6.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IPV6.exec(text)) !== null) {
    const candidate = m[0];
    if (candidate === '::' || candidate.indexOf(':') === candidate.lastIndexOf(':')) continue;
    if (isIPv6(candidate)) found = add(found, m.index, m.index + candidate.length, 'ipv6');
  }
  return found;
}

function scanIpv4(text: string, found: PiiMatch[] | undefined): PiiMatch[] | undefined {
  if (text.indexOf('.') < 0) return found;
  IPV4.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IPV4.exec(text)) !== null) {
    const parts = m[0].split('.');
    if (parts.every((p) => Number(p) <= 255)) found = add(found, m.index, m.index + m[0].length, 'ipv4');
  }
  return found;
}
