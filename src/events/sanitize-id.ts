/**
 * Identifiers (lead id, CRM id, workflow name) as strings, whatever the caller passed.
 */
import { CUT_ANYWHERE, cutText, type CutPoint } from '../record/text-cut.js';
import type { SanitizeIssue } from './failure-kinds.js';

/** Longest identifier kept, in UTF-16 units; longer ones are cut and marked. */
export const MAX_ID_LENGTH = 256;

/** A sanitized identifier and, when something was changed, the issue name. */
export interface SanitizedId<T extends string | undefined> {
  readonly value: T;
  /** `id-not-string`, `id-truncated`, `id-missing` or `id-invalid`; absent when the input was a fine string. */
  readonly issue?: SanitizeIssue;
}

/**
 * An identifier as a string:
 * - a string is kept (cut at {@link MAX_ID_LENGTH} with `…[truncated N chars]`, issue `id-truncated`);
 * - a number, bigint, boolean or symbol becomes its string form (`42`, `9007199254740993`), issue
 *   `id-not-string`;
 * - `undefined`/`null` becomes `fallback` — pass `'unknown'` for a workflow — with issue
 *   `id-missing`; without a fallback the result is `undefined` and no issue (an optional id);
 * - anything else (objects, functions) becomes `fallback` (or `'[invalid id]'`), issue `id-invalid`.
 * `cutPoint` chooses where a long string is cut (at most {@link MAX_ID_LENGTH}). Never throws.
 */
export function sanitizeId(input: unknown, fallback: string, cutPoint?: CutPoint): SanitizedId<string>;
export function sanitizeId(input: unknown, fallback?: string, cutPoint?: CutPoint): SanitizedId<string | undefined>;
export function sanitizeId(
  input: unknown,
  fallback?: string,
  cutPoint: CutPoint = CUT_ANYWHERE,
): SanitizedId<string | undefined> {
  switch (typeof input) {
    case 'string':
      if (input.length <= MAX_ID_LENGTH) return { value: input };
      return { value: cutText(input, MAX_ID_LENGTH, cutPoint), issue: 'id-truncated' };
    case 'number':
    case 'bigint':
    case 'boolean':
      return { value: String(input), issue: 'id-not-string' };
    case 'symbol':
      return { value: input.toString(), issue: 'id-not-string' };
    case 'undefined':
      return fallback === undefined ? { value: undefined } : { value: fallback, issue: 'id-missing' };
    default:
      if (input === null)
        return fallback === undefined ? { value: undefined } : { value: fallback, issue: 'id-missing' };
      return { value: fallback ?? '[invalid id]', issue: 'id-invalid' };
  }
}
