/**
 * The record time as text: `Date.prototype.toISOString` of a time in ms, without building a
 * `Date` for every record. The text of the second met last is kept (`…T12:34:56.`), so a time in
 * that second only appends its three millisecond digits and `Z`.
 */

/** Largest distance from the epoch a `Date` can hold, in ms (ECMAScript TimeClip). */
const MAX_TIME_MS = 8.64e15;
/** `"000"` … `"999"`. */
const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Start of the second whose text is cached (ms), and that text up to and with the `.`. */
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()` (the time cut toward zero to whole ms, as `Date` does), or
 * `undefined` when `ms` is not a time a `Date` can hold (non-finite or beyond ±8.64e15).
 */
export function isoTimeOf(ms: number): string | undefined {
  if (!(Math.abs(ms) <= MAX_TIME_MS)) return undefined;
  const time = Math.trunc(ms);
  const second = Math.floor(time / 1000) * 1000;
  if (second !== cachedSecond) {
    const iso = new Date(second).toISOString();
    // every ISO text ends in `.sssZ`; keep what precedes the digits
    cachedPrefix = iso.slice(0, iso.length - 4);
    cachedSecond = second;
  }
  return cachedPrefix + (MILLIS[time - second] as string) + 'Z';
}
