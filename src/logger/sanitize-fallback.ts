/**
 * Input sanitizing used by the audit helpers until `src/events/sanitize.ts` (shared sanitizer)
 * is wired in. Turns arbitrary caller input into a fresh OTel `AnyValue` tree that the log SDK
 * accepts, the signer can canonicalize and no later processor can use to reach caller objects:
 * cycles are cut, BigInt/symbols/functions become strings, bytes become base64, Dates become
 * ISO strings, Maps become objects, Sets become arrays, reserved keys (`__proto__`,
 * `constructor`) are renamed, and oversized strings/collections are truncated. Every change is
 * reported as an issue so the record can say so (`audit.sanitized`). Never throws.
 */
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';

/** Size limits applied to one helper argument. */
export interface SanitizeLimits {
  /** Deepest nesting kept (default 16); deeper values become `"[too deep]"`. */
  readonly maxDepth: number;
  /** Longest string kept, in UTF-16 units (default 8192); longer ones are cut and marked. */
  readonly maxStringLength: number;
  /** Most object keys / array items kept per container (default 1000). */
  readonly maxItems: number;
  /** Most string characters kept in total across one value (default 65536). */
  readonly maxTotalChars: number;
}

/** Defaults of {@link SanitizeLimits}. */
export const DEFAULT_SANITIZE_LIMITS: SanitizeLimits = {
  maxDepth: 16,
  maxStringLength: 8192,
  maxItems: 1000,
  maxTotalChars: 65536,
};

/** A sanitized value and what was changed to get it (sorted, de-duplicated issue names). */
export interface SanitizeResult {
  readonly value: AnyValue;
  readonly issues: readonly string[];
}

/** Marker appended to cut strings. */
export const TRUNCATION_MARK = '…[truncated]';

interface Walk {
  readonly limits: SanitizeLimits;
  readonly issues: Set<string>;
  readonly seen: Set<object>;
  chars: number;
}

/** Sanitizes `input` (see module doc). Never throws. */
export function sanitizeValue(input: unknown, limits: SanitizeLimits = DEFAULT_SANITIZE_LIMITS): SanitizeResult {
  const walk: Walk = { limits, issues: new Set(), seen: new Set(), chars: 0 };
  let value: AnyValue;
  try {
    value = clean(input, walk, 0) ?? null;
  } catch {
    walk.issues.add('unreadable');
    value = '[unreadable]';
  }
  return { value, issues: walk.issues.size === 0 ? NO_ISSUES : [...walk.issues].sort() };
}

const NO_ISSUES: readonly string[] = Object.freeze([]);

/**
 * An identifier (lead id, CRM id, workflow) as a string: strings are kept (cut at 256 chars),
 * numbers/bigints/booleans are converted; anything else becomes `fallback`. Issue names are
 * returned so the caller can record them.
 */
export function sanitizeId(input: unknown, fallback: string): { readonly value: string; readonly issue?: string } {
  if (typeof input === 'string') {
    if (input.length <= 256) return { value: input };
    return { value: input.slice(0, 256) + TRUNCATION_MARK, issue: 'id-truncated' };
  }
  if (typeof input === 'number' || typeof input === 'bigint' || typeof input === 'boolean') {
    return { value: String(input), issue: 'id-not-string' };
  }
  if (input === undefined || input === null) return { value: fallback, issue: 'id-missing' };
  return { value: fallback, issue: 'id-invalid' };
}

function cleanString(s: string, walk: Walk): string {
  const room = Math.min(walk.limits.maxStringLength, Math.max(0, walk.limits.maxTotalChars - walk.chars));
  if (s.length <= room) {
    walk.chars += s.length;
    return s;
  }
  walk.issues.add('truncated');
  walk.chars += room;
  return s.slice(0, room) + TRUNCATION_MARK;
}

function clean(value: unknown, walk: Walk, depth: number): AnyValue | undefined {
  switch (typeof value) {
    case 'string':
      return cleanString(value, walk);
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      walk.issues.add('non-finite');
      return String(value);
    case 'undefined':
      return undefined;
    case 'bigint':
      walk.issues.add('bigint');
      return value.toString();
    case 'symbol':
      walk.issues.add('symbol');
      return value.toString();
    case 'function':
      walk.issues.add('function');
      return `[function ${value.name || 'anonymous'}]`;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (depth >= walk.limits.maxDepth) {
    walk.issues.add('too-deep');
    return '[too deep]';
  }
  if (walk.seen.has(obj)) {
    walk.issues.add('circular');
    return '[circular]';
  }
  if (obj instanceof Date) {
    walk.issues.add('date');
    return Number.isFinite(obj.getTime()) ? obj.toISOString() : 'Invalid Date';
  }
  if (obj instanceof Uint8Array || obj instanceof ArrayBuffer) {
    walk.issues.add('bytes');
    const bytes = obj instanceof ArrayBuffer ? Buffer.from(obj) : Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength);
    return cleanString(bytes.toString('base64'), walk);
  }
  walk.seen.add(obj);
  try {
    if (Array.isArray(obj)) return cleanList(obj, walk, depth);
    if (obj instanceof Set) {
      walk.issues.add('set');
      return cleanList([...obj], walk, depth);
    }
    if (obj instanceof Map) {
      walk.issues.add('map');
      const entries: [string, unknown][] = [];
      for (const [k, v] of obj) entries.push([typeof k === 'string' ? k : String(k), v]);
      return cleanEntries(entries, walk, depth);
    }
    if (obj instanceof Error) {
      walk.issues.add('error-object');
      return cleanEntries(
        [
          ['name', obj.name],
          ['message', obj.message],
          ['stack', obj.stack],
        ],
        walk,
        depth,
      );
    }
    const entries: [string, unknown][] = [];
    for (const key of Object.keys(obj)) {
      let member: unknown;
      try {
        member = (obj as Record<string, unknown>)[key];
      } catch {
        walk.issues.add('unreadable');
        member = '[unreadable]';
      }
      entries.push([key, member]);
    }
    return cleanEntries(entries, walk, depth);
  } finally {
    walk.seen.delete(obj);
  }
}

function cleanList(items: readonly unknown[], walk: Walk, depth: number): AnyValue[] {
  const n = Math.min(items.length, walk.limits.maxItems);
  if (n < items.length) walk.issues.add('truncated');
  const out: AnyValue[] = new Array<AnyValue>(n);
  for (let i = 0; i < n; i++) out[i] = clean(items[i], walk, depth + 1) ?? null;
  return out;
}

function cleanEntries(entries: readonly [string, unknown][], walk: Walk, depth: number): AnyValueMap {
  const out: AnyValueMap = {};
  const n = Math.min(entries.length, walk.limits.maxItems);
  if (n < entries.length) walk.issues.add('truncated');
  for (let i = 0; i < n; i++) {
    const [rawKey, member] = entries[i] as [string, unknown];
    let key = rawKey;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      walk.issues.add('reserved-key');
      key = `[${key}]`;
    }
    const v = clean(member, walk, depth + 1);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
