/**
 * Character classes, the glue tests of digit runs and the in-place checks of the number detectors
 * (dotted quads, date-like runs): they read `text` between two indices instead of a slice of it.
 */

/** ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Letter, digit or `_` (ASCII). */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Word character or `.`. */
export function isWordOrDot(c: number): boolean {
  return isWordChar(c) || c === 46;
}

/** Hex digit or `:`. */
export function isHexOrColon(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** True when the run at `start` follows a word character, `+`, or a word character and `-`/`.`. */
export function gluedBefore(text: string, start: number): boolean {
  if (start === 0) return false;
  const p = text.charCodeAt(start - 1);
  if (isWordChar(p) || p === 43) return true;
  return (p === 45 || p === 46) && start >= 2 && isWordChar(text.charCodeAt(start - 2));
}

/** True when the run ending at `end` is followed by a word character, or by `-`/`.` and one. */
export function gluedAfter(text: string, end: number): boolean {
  if (end >= text.length) return false;
  const c = text.charCodeAt(end);
  if (isWordChar(c)) return true;
  return (c === 45 || c === 46) && end + 1 < text.length && isWordChar(text.charCodeAt(end + 1));
}

/** End of the dotted quad with octets ≤ 255 starting at `p` (a digit) before `end`, or -1. */
export function dottedQuadEnd(text: string, p: number, end: number): number {
  let q = p;
  for (let group = 0; group < 4; group++) {
    const from = q;
    let value = 0;
    let c: number;
    while (q < end && isDigit((c = text.charCodeAt(q)))) {
      value = value * 10 + (c - 48);
      q++;
    }
    if (q === from || q - from > 3 || value > 255) return -1;
    if (group < 3) {
      if (q >= end || text.charCodeAt(q) !== 46) return -1;
      q++;
    }
  }
  if (q + 1 < end && text.charCodeAt(q) === 46 && isDigit(text.charCodeAt(q + 1))) return -1;
  return q;
}

/**
 * True when `text.slice(start, end)` begins like a date (years 1900–2099): `yyyy-m-d` (optionally after `(`, with
 * `-`, `.`, `/` or space between the parts) or `d-m-yyyy` (with `-`, `.` or `/`).
 */
export function dateLike(text: string, start: number, end: number): boolean {
  const p = text.charCodeAt(start) === 40 ? start + 1 : start;
  if (digitsAt(text, p, end) >= 4 && yearAt(text, p) && p + 4 < end && isDateSeparator(text.charCodeAt(p + 4), true)) {
    const month = p + 5;
    const m = digitsAt(text, month, end);
    if (
      m >= 1 &&
      m <= 2 &&
      month + m + 1 < end &&
      isDateSeparator(text.charCodeAt(month + m), true) &&
      isDigit(text.charCodeAt(month + m + 1))
    )
      return true;
  }
  const d = digitsAt(text, start, end);
  if (d < 1 || d > 2 || start + d >= end || !isDateSeparator(text.charCodeAt(start + d), false)) return false;
  const month = start + d + 1;
  const m = digitsAt(text, month, end);
  if (m < 1 || m > 2 || month + m >= end || !isDateSeparator(text.charCodeAt(month + m), false)) return false;
  return digitsAt(text, month + m + 1, end) >= 4 && yearAt(text, month + m + 1);
}

/** True when the 4 digits at `p` are a year 1900–2099. */
function yearAt(text: string, p: number): boolean {
  const c0 = text.charCodeAt(p);
  const c1 = text.charCodeAt(p + 1);
  return (c0 === 49 && c1 === 57) || (c0 === 50 && c1 === 48);
}

/** How many digits follow in a row from `p` (before `end`). */
function digitsAt(text: string, p: number, end: number): number {
  let q = p;
  while (q < end && isDigit(text.charCodeAt(q))) q++;
  return q - p;
}

/** `-`, `.` or `/`, and with `space` also ` `. */
function isDateSeparator(c: number, space: boolean): boolean {
  return c === 45 || c === 46 || c === 47 || (space && c === 32);
}
