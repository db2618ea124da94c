/**
 * Input sanitizing: turns whatever an orchestrator passes to an audit helper into a fresh,
 * JSON-safe tree that the OTel log SDK accepts as an attribute value (`AnyValue`) and the signer
 * can canonicalize (src/record/canonical.ts). Never throws, never mutates or keeps the input, and
 * reports every change by name (`issues`, for the `audit.sanitized` attribute and diagnostics).
 * The walk is the record module's one JSON-safe walker (src/record/json-safe.ts, which lists every
 * conversion and marker), so helper arguments and values emitted by any other OTel code get the
 * same form; here it runs with the helper limits below.
 */
import { toJsonSafe, type JsonSafeValue } from '../record/json-safe.js';
import { CUT_ANYWHERE, type CutPoint } from '../record/text-cut.js';
import type { SanitizeIssue } from './failure-kinds.js';
import { MAX_ID_LENGTH, sanitizeId, type SanitizedId } from './sanitize-id.js';

export { MAX_ID_LENGTH, sanitizeId, type SanitizedId, type CutPoint };

/** A JSON-safe value: usable as an OTel `AnyValue` and by `canonicalize`. */
export type SanitizedValue = JsonSafeValue;

/** Size limits of one sanitized value. */
export interface SanitizeLimits {
  /** Deepest nesting kept (default 16); deeper values become `"[Too deep]"`. */
  readonly maxDepth: number;
  /** Longest string kept, in UTF-16 units (default 8192). */
  readonly maxStringLength: number;
  /** Most keys of one object / items of one array kept (default 1000). */
  readonly maxItems: number;
  /**
   * Approximate budget of the whole value, counted while walking (string and key lengths, 8 per
   * number/boolean/null; default 65536). Once spent, further strings are emptied and further
   * members dropped, with markers.
   */
  readonly maxBytes: number;
}

/** Defaults of {@link SanitizeLimits}. */
export const DEFAULT_SANITIZE_LIMITS: SanitizeLimits = Object.freeze({
  maxDepth: 16,
  maxStringLength: 8192,
  maxItems: 1000,
  maxBytes: 65536,
});

/** Limits given by a caller: any subset; `maxTotalChars` is accepted as an alias of `maxBytes`. */
export type SanitizeLimitsInput = Partial<SanitizeLimits> & { readonly maxTotalChars?: number };

/** A sanitized value and the sorted, de-duplicated names of what was changed. */
export interface SanitizeResult {
  readonly value: SanitizedValue;
  readonly issues: readonly SanitizeIssue[];
}

const NO_ISSUES: readonly SanitizeIssue[] = Object.freeze([]);

function resolve(limits: SanitizeLimitsInput | undefined): SanitizeLimits {
  if (limits === undefined) return DEFAULT_SANITIZE_LIMITS;
  return {
    maxDepth: limits.maxDepth ?? DEFAULT_SANITIZE_LIMITS.maxDepth,
    maxStringLength: limits.maxStringLength ?? DEFAULT_SANITIZE_LIMITS.maxStringLength,
    maxItems: limits.maxItems ?? DEFAULT_SANITIZE_LIMITS.maxItems,
    maxBytes: limits.maxBytes ?? limits.maxTotalChars ?? DEFAULT_SANITIZE_LIMITS.maxBytes,
  };
}

/**
 * Sanitizes `input` (see module doc). `cutPoint` chooses where a long string (or byte value) is
 * cut, e.g. never inside a detected PII value. Never throws.
 */
export function sanitizeValue(
  input: unknown,
  limits?: SanitizeLimitsInput,
  cutPoint: CutPoint = CUT_ANYWHERE,
): SanitizeResult {
  // fast path: short strings, finite numbers, booleans, null
  switch (typeof input) {
    case 'boolean':
      return { value: input, issues: NO_ISSUES };
    case 'number':
      if (Number.isFinite(input)) return { value: input, issues: NO_ISSUES };
      break;
    case 'string':
      if (input.length <= 256 && (limits === undefined || fitsStringLimits(input.length, limits)))
        return { value: input, issues: NO_ISSUES };
      break;
    default:
      if (input === null) return { value: null, issues: NO_ISSUES };
  }
  const { value, issues } = toJsonSafe(input, {
    limits: { ...resolve(limits), maxNodes: Infinity },
    cutPoint,
    renameReservedKeys: true,
  });
  return { value, issues };
}

/** Whether a string of `length` chars is within caller-given limits (smaller than the fast path's 256 is allowed). */
function fitsStringLimits(length: number, limits: SanitizeLimitsInput): boolean {
  const maxString = limits.maxStringLength ?? DEFAULT_SANITIZE_LIMITS.maxStringLength;
  const maxBytes = limits.maxBytes ?? limits.maxTotalChars ?? DEFAULT_SANITIZE_LIMITS.maxBytes;
  return length <= maxString && length <= maxBytes;
}
