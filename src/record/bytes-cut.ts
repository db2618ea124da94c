/**
 * Where bytes may be cut when their text matters to the cut policy: the bytes around the cut are
 * read as UTF-8 (invalid sequences as U+FFFD, as `Buffer#toString('utf8')` does), the policy picks
 * a character index in that text, and the index is mapped back to a byte offset. So a value written
 * with multibyte characters (`carol＠example.com`, fullwidth digits) that straddles the cut is seen
 * whole by the detectors, and the cut never falls inside a character.
 */
import type { CutPoint } from './text-cut.js';

/** Bytes read on each side of the cut (more than any value the detectors find, in any encoding). */
const WINDOW_BYTES = 2048;

/**
 * The byte offset, at or before `at`, where `bytes` may be cut under `cutPoint`. Never inside a
 * UTF-8 sequence of a valid character.
 */
export function utf8CutIndex(bytes: Uint8Array, at: number, cutPoint: CutPoint): number {
  if (at <= 0) return 0;
  if (at >= bytes.length) return bytes.length;
  const from = charStart(bytes, Math.max(0, at - WINDOW_BYTES));
  const to = Math.min(bytes.length, at + WINDOW_BYTES);
  // each character of the window: its first byte, in the order of the decoded text's code units;
  // the cut moves back to the start of the character it falls in
  const starts: number[] = [];
  let cut = at;
  let cutUnit = -1;
  let p = from;
  while (p < to) {
    const size = sequenceSize(bytes, p, to);
    if (cutUnit < 0 && p + size > at) {
      cutUnit = starts.length;
      cut = p;
    }
    starts.push(p);
    if (size === 4) starts.push(p); // a surrogate pair: two code units
    p += size;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8');
  // (a decoder that reads the window differently than the walk above: keep the plain byte cut)
  if (text.length !== starts.length) return cut;
  const unit = Math.max(0, Math.min(cutUnit, cutPoint(text, cutUnit)));
  return unit >= starts.length ? cut : Math.min(cut, starts[unit] as number);
}

/** `at`, or the start of the valid UTF-8 sequence `at` lies inside. */
function charStart(bytes: Uint8Array, at: number): number {
  let p = at;
  while (p > 0 && at - p < 3 && ((bytes[p] as number) & 0xc0) === 0x80) p--;
  return sequenceSize(bytes, p, bytes.length) > at - p ? p : at;
}

/**
 * Bytes of the character starting at `p` (before `end`): its sequence length when it is valid
 * UTF-8, else the bytes one U+FFFD replaces (the maximal subpart of an ill-formed sequence, as
 * the WHATWG decoder and Node read it).
 */
function sequenceSize(bytes: Uint8Array, p: number, end: number): number {
  const b0 = bytes[p] as number;
  if (b0 < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2;
    if (b0 === 0xe0) lo = 0xa0;
    else if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3;
    if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f;
  } else {
    return 1;
  }
  let q = p + 1;
  for (let k = 0; k < need; k++, q++) {
    if (q >= end) return q - p;
    const b = bytes[q] as number;
    if (b < lo || b > hi) return q - p;
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}
