/**
 * Cutting long strings: where the cut may fall is a policy, so that with PII anonymization on a
 * cut never keeps the start of a detected value (`4111 1111 1111 …`, `carol.smith@…`), which the
 * detectors could no longer recognise once its end is gone.
 */

/**
 * Where `text` may be cut at or before `at` (`0 ≤ result ≤ at`). The PII processor's
 * `safeCut` moves the cut to the start of a detected value that straddles `at`.
 */
export type CutPoint = (text: string, at: number) => number;

/** Cuts exactly where asked. */
export const CUT_ANYWHERE: CutPoint = (_text, at) => at;

/**
 * The first `max` characters of `text` or fewer (where `cutPoint` allows, never between the two
 * halves of a surrogate pair), followed by `…[truncated N chars]`. `text` when it fits.
 */
export function cutText(text: string, max: number, cutPoint: CutPoint = CUT_ANYWHERE): string {
  if (text.length <= max) return text;
  let at = Math.max(0, Math.min(max, cutPoint(text, max)));
  if (at > 0 && isHighSurrogate(text.charCodeAt(at - 1))) at--;
  return `${text.slice(0, at)}…[truncated ${text.length - at} chars]`;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
