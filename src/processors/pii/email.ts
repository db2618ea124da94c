/**
 * E-mail addresses, found from each `@` outwards: the local part to the left (RFC 5322 dot-atom
 * characters, at most 64 of them), the domain to the right (labels of letters, digits and inner
 * `-`, at most 253 characters, ending in an alphabetic top-level label of two or more letters).
 * Every character is looked at a bounded number of times, so the scan is linear whatever the input
 * (runs of `@`, of dots before an `@`, a word of any length after one).
 */
import type { MatchSet } from './match-set.js';

/** Longest local part (RFC 5321). */
const MAX_LOCAL = 64;
/** Longest domain (RFC 1035). */
const MAX_DOMAIN = 253;

/** Per ASCII code: 1 for a local-part character (letters, digits and ``.!#$%&'*+/=?^_`{|}~-``). */
const LOCAL_CHARS = (() => {
  const table = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) table[c] = 1;
  for (let c = 65; c <= 90; c++) table[c] = 1;
  for (let c = 97; c <= 122; c++) table[c] = 1;
  for (const ch of ".!#$%&'*+/=?^_`{|}~-") table[ch.charCodeAt(0)] = 1;
  return table;
})();

const DIGIT = 1;
const LETTER = 2;
const HYPHEN = 3;
/** Per ASCII code: what it is in a domain label ({@link DIGIT}, {@link LETTER}, {@link HYPHEN}), 0 for anything else. */
const DOMAIN_CHARS = (() => {
  const table = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) table[c] = DIGIT;
  for (let c = 65; c <= 90; c++) table[c] = LETTER;
  for (let c = 97; c <= 122; c++) table[c] = LETTER;
  table[45] = HYPHEN;
  return table;
})();

/** Local-part character: letters, digits and ``.!#$%&'*+/=?^_`{|}~-``. */
function isLocalChar(c: number): boolean {
  return c < 128 && LOCAL_CHARS[c] === 1;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * End of the domain starting at `p` (just after `@`), or -1 when there is none: the last point
 * where a label of two or more letters (or the alphabetic start of a label) closes a domain of at
 * least two labels.
 */
export function domainEnd(text: string, p: number): number {
  const n = text.length;
  const limit = Math.min(n, p + MAX_DOMAIN);
  let best = -1;
  let labels = 0;
  let q = p;
  while (q < limit && isAlnum(text.charCodeAt(q))) {
    const labelStart = q;
    let lastAlnum = q;
    let alpha = 0;
    let allAlpha = true;
    while (q < limit) {
      const c = text.charCodeAt(q);
      const k = c < 128 ? (DOMAIN_CHARS[c] as number) : 0;
      if (k === 0) break;
      if (k === HYPHEN) {
        allAlpha = false;
      } else {
        lastAlnum = q;
        if (allAlpha && k === LETTER) alpha++;
        else allAlpha = false;
      }
      q++;
    }
    labels++;
    // a top-level label: its leading letters (two or more), after at least one earlier label
    if (labels >= 2 && alpha >= 2) best = labelStart + alpha;
    // a label ends with a letter or digit; `-` before a dot ends the domain
    if (lastAlnum !== q - 1) break;
    if (q + 1 < limit && text.charCodeAt(q) === 46 && isAlnum(text.charCodeAt(q + 1))) {
      q++;
    } else {
      break;
    }
  }
  return best;
}

/** Adds every e-mail address of `text` to `found`. */
export function scanEmail(text: string, found: MatchSet): void {
  let at = text.indexOf('@');
  let floor = 0;
  while (at >= 0) {
    let start = at;
    const lowest = Math.max(floor, at - MAX_LOCAL);
    while (start > lowest && isLocalChar(text.charCodeAt(start - 1))) start--;
    let next = at + 1;
    if (start < at) {
      const end = domainEnd(text, at + 1);
      if (end > 0) {
        found.add(start, end, 'email');
        floor = end;
        next = end;
      }
    }
    at = text.indexOf('@', next);
  }
}

/**
 * True when all of `text` is one e-mail address (what {@link scanEmail} would find spanning it);
 * `at` is the index of its first `@`.
 */
export function isWholeEmail(text: string, at: number = text.indexOf('@')): boolean {
  if (at <= 0 || at > MAX_LOCAL || text.indexOf('@', at + 1) >= 0) return false;
  for (let i = 0; i < at; i++) if (!isLocalChar(text.charCodeAt(i))) return false;
  return domainEnd(text, at + 1) === text.length;
}
