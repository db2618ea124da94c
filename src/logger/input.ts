/**
 * Coercion of helper arguments into attribute values, collecting what had to change. Fast path
 * for the expected types (a string id is used as is); anything else goes through the sanitizer.
 * Never throws.
 */
import type { AnyValue } from '@opentelemetry/api-logs';
import { canonicalize, type CanonicalValue } from '../record/canonical.js';
import { cleanSortedCopy, NOT_CLEAN } from './clean-check.js';
import { CUT_ANYWHERE, type CutPoint } from '../record/text-cut.js';
import { sanitizeId, sanitizeValue, type SanitizeLimits } from '../events/sanitize.js';
import type { SanitizeIssue } from '../events/failure-kinds.js';

/** Issues found while coercing the arguments of one helper call (created lazily). */
export class InputIssues {
  /** Issue names, in the order found; `undefined` when there were none. */
  list: SanitizeIssue[] | undefined;

  /** Records one issue (duplicates are kept once). */
  add(issue: SanitizeIssue): void {
    if (this.list === undefined) this.list = [issue];
    else if (!this.list.includes(issue)) this.list.push(issue);
  }
}

/** Identifier value used when the caller gave none. */
export const UNKNOWN = 'unknown';

/**
 * Argument coercions bound to one set of limits, a cut policy (where long strings may be cut) and
 * an anonymizer of ids and texts. Ids and texts are anonymized here, before a record body is
 * composed of them, because composing can hide a value from the detectors (an IPv6 address
 * followed by `": reason"` reads as a longer hex-and-colon run); the PII processor still scans
 * the whole record afterwards.
 */
export class InputCoercer {
  constructor(
    readonly limits: SanitizeLimits,
    private readonly cutPoint: CutPoint = CUT_ANYWHERE,
    private readonly anonymize: (text: string) => string = (text) => text,
  ) {}

  /** An id (lead, CRM, workflow, type): always a string; `fallback` when missing. */
  id(value: unknown, issues: InputIssues, fallback: string = UNKNOWN): string {
    if (typeof value === 'string' && value.length > 0 && value.length <= 256) return this.anonymize(value);
    if (value === '') {
      issues.add('id-empty');
      return fallback;
    }
    const result = sanitizeId(value, fallback, this.cutPoint);
    if (result.issue) issues.add(result.issue);
    return this.anonymize(result.value);
  }

  /** Workflow name: `"unknown"` when undefined (not an issue: the seed made it optional). */
  workflow(value: unknown, issues: InputIssues): string {
    if (value === undefined || value === null) return UNKNOWN;
    return this.id(value, issues);
  }

  /** Free text: a string (cut at the limit); other values are converted and marked; a missing value is `''` (optional arguments). */
  text(value: unknown, issues: InputIssues): string {
    return this.anonymize(this.plainText(value, issues));
  }

  private plainText(value: unknown, issues: InputIssues): string {
    if (typeof value === 'string' && value.length <= this.limits.maxStringLength) return value;
    if (value === undefined || value === null) return '';
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
      issues.add('not-string');
      return String(value);
    }
    const result = sanitizeValue(value, this.limits, this.cutPoint);
    for (const issue of result.issues) issues.add(issue);
    if (typeof result.value === 'string') return result.value;
    issues.add('not-string');
    return canonicalize(result.value as CanonicalValue);
  }

  /** Required free text: like {@link text}, but a missing value (`undefined`/`null`) is marked `text-missing`. */
  requiredText(value: unknown, issues: InputIssues): string {
    if (value === undefined || value === null) {
      issues.add('text-missing');
      return '';
    }
    return this.text(value, issues);
  }

  /** Optional free text: `undefined` stays `undefined`. */
  optionalText(value: unknown, issues: InputIssues): string | undefined {
    return value === undefined || value === null ? undefined : this.text(value, issues);
  }

  /**
   * Structured content, always a copy (later processors may change it in place): a clean value
   * is copied with its object keys sorted (canonical order, so the signer needs no copy of its
   * own); anything else becomes a sanitized copy.
   */
  structured(value: unknown, issues: InputIssues): AnyValue {
    const clean = cleanSortedCopy(value, this.limits);
    if (clean !== NOT_CLEAN) return clean as AnyValue;
    const result = sanitizeValue(value, this.limits, this.cutPoint);
    for (const issue of result.issues) issues.add(issue);
    return result.value;
  }

  /** A finite number; anything else is kept as text and marked. */
  number(value: unknown, issues: InputIssues): number | string {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    issues.add('not-number');
    return this.text(value, issues);
  }

  /** A boolean; other values are converted with JavaScript truthiness and marked. */
  flag(value: unknown, issues: InputIssues): boolean {
    if (typeof value === 'boolean') return value;
    issues.add('not-boolean');
    return value === 'false' ? false : Boolean(value);
  }
}
