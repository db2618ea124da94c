/**
 * Input sanitizing: turns whatever an orchestrator passes to an audit helper into a fresh,
 * JSON-safe tree that the OTel log SDK accepts as an attribute value (`AnyValue`) and the signer
 * can canonicalize (src/record/canonical.ts). Never throws, never mutates or keeps the input, and
 * reports every change by name (`issues`, for the `audit.sanitized` attribute and diagnostics):
 *
 * | input                               | becomes                                   | issue           |
 * |-------------------------------------|-------------------------------------------|-----------------|
 * | circular reference                  | `"[Circular]"`                            | `circular`      |
 * | BigInt                              | decimal string                            | `bigint`        |
 * | function / symbol                   | `"[Function name]"` / `"Symbol(desc)"`    | `function` / `symbol` |
 * | Buffer, typed array, ArrayBuffer    | `"base64:<base64 of the bytes>"`          | `bytes`         |
 * | Date                                | ISO string (`"Invalid Date"` if invalid)  | `date`          |
 * | Map / Set                           | object / array (non-string Map keys stringified, `map-key`) | `map` / `set` |
 * | `__proto__`, `constructor`, `prototype` key | kept as data under `[__proto__]` etc. | `reserved-key` |
 * | Error                               | `{ name, message, stack, cause? }`        | `error-object`  |
 * | other class instance                | its own enumerable properties             | `class-instance`|
 * | NaN / ±Infinity                     | `"NaN"` / `"Infinity"` / `"-Infinity"`    | `non-finite`    |
 * | getter or proxy that throws         | `"[Unreadable]"`                          | `unreadable`    |
 * | nesting deeper than `maxDepth`      | `"[Too deep]"`                            | `too-deep`      |
 * | string over `maxStringLength`, container over `maxItems`, total over `maxBytes` | cut, marked in the value (`…[truncated N chars]`, `"…[truncated N items]"`, key `"…[truncated]"`) | `truncated` |
 *
 * `undefined` members are dropped (as JSON does); `undefined` array items become `null`. The
 * markers are part of the value, so they are signed with it.
 */
import { Buffer } from 'node:buffer';
import { CUT_ANYWHERE, cutText, type CutPoint } from './cut.js';
import { MAX_ID_LENGTH, sanitizeId, type SanitizedId } from './sanitize-id.js';

export { MAX_ID_LENGTH, sanitizeId, type SanitizedId, type CutPoint };

/** A JSON-safe value: usable as an OTel `AnyValue` and by `canonicalize`. */
export type SanitizedValue = string | number | boolean | null | SanitizedValue[] | { [key: string]: SanitizedValue };

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
  readonly issues: readonly string[];
}

const NO_ISSUES: readonly string[] = Object.freeze([]);
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface Walk {
  readonly limits: SanitizeLimits;
  issues: Set<string> | undefined;
  /** Objects on the current path (cycle detection). */
  readonly path: object[];
  budget: number;
  /** Where long strings may be cut. */
  readonly cut: CutPoint;
}

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
export function sanitizeValue(input: unknown, limits?: SanitizeLimitsInput, cutPoint: CutPoint = CUT_ANYWHERE): SanitizeResult {
  // fast path: short strings, finite numbers, booleans, null
  switch (typeof input) {
    case 'boolean':
      return { value: input, issues: NO_ISSUES };
    case 'number':
      if (Number.isFinite(input)) return { value: input, issues: NO_ISSUES };
      break;
    case 'string':
      if (input.length <= 256 && (limits === undefined || fitsStringLimits(input.length, limits))) return { value: input, issues: NO_ISSUES };
      break;
    default:
      if (input === null) return { value: null, issues: NO_ISSUES };
  }
  const walk: Walk = { limits: resolve(limits), issues: undefined, path: [], budget: 0, cut: cutPoint };
  walk.budget = walk.limits.maxBytes;
  let value: SanitizedValue;
  try {
    value = clean(input, walk, 0) ?? null;
  } catch {
    note(walk, 'unreadable');
    value = '[Unreadable]';
  }
  return { value, issues: walk.issues === undefined ? NO_ISSUES : [...walk.issues].sort() };
}

/** Whether a string of `length` chars is within caller-given limits (smaller than the fast path's 256 is allowed). */
function fitsStringLimits(length: number, limits: SanitizeLimitsInput): boolean {
  const maxString = limits.maxStringLength ?? DEFAULT_SANITIZE_LIMITS.maxStringLength;
  const maxBytes = limits.maxBytes ?? limits.maxTotalChars ?? DEFAULT_SANITIZE_LIMITS.maxBytes;
  return length <= maxString && length <= maxBytes;
}

function note(walk: Walk, issue: string): void {
  (walk.issues ??= new Set()).add(issue);
}

function cleanString(s: string, walk: Walk): string {
  const room = Math.max(0, Math.min(walk.limits.maxStringLength, walk.budget));
  if (s.length <= room) {
    walk.budget -= s.length;
    return s;
  }
  note(walk, 'truncated');
  walk.budget -= room;
  return cutText(s, room, walk.cut);
}

/** Bytes as `base64:<bytes>`; when that is too long, whole bytes are cut (where the cut policy allows, reading them as Latin-1). */
function cleanBytes(bytes: Buffer, walk: Walk): string {
  const text = `base64:${bytes.toString('base64')}`;
  const room = Math.max(0, Math.min(walk.limits.maxStringLength, walk.budget));
  if (text.length <= room) {
    walk.budget -= text.length;
    return text;
  }
  note(walk, 'truncated');
  walk.budget -= room;
  const fits = Math.floor(Math.max(0, room - 'base64:'.length) / 4) * 3;
  const at = Math.max(0, Math.min(fits, walk.cut(bytes.toString('latin1'), fits)));
  return `base64:${bytes.subarray(0, at).toString('base64')}…[truncated ${bytes.length - at} bytes]`;
}

function clean(value: unknown, walk: Walk, depth: number): SanitizedValue | undefined {
  switch (typeof value) {
    case 'string':
      return cleanString(value, walk);
    case 'number':
      walk.budget -= 8;
      if (Number.isFinite(value)) return value;
      note(walk, 'non-finite');
      return String(value);
    case 'boolean':
      walk.budget -= 8;
      return value;
    case 'undefined':
      return undefined;
    case 'bigint':
      note(walk, 'bigint');
      return cleanString(value.toString(), walk);
    case 'symbol':
      note(walk, 'symbol');
      return cleanString(value.toString(), walk);
    case 'function':
      note(walk, 'function');
      return cleanString(`[Function ${value.name || 'anonymous'}]`, walk);
    default:
      break;
  }
  if (value === null) {
    walk.budget -= 8;
    return null;
  }
  return cleanObject(value as object, walk, depth);
}

function cleanObject(obj: object, walk: Walk, depth: number): SanitizedValue {
  if (walk.path.includes(obj)) {
    note(walk, 'circular');
    return '[Circular]';
  }
  if (depth >= walk.limits.maxDepth) {
    note(walk, 'too-deep');
    return '[Too deep]';
  }
  if (obj instanceof Date) {
    note(walk, 'date');
    const time = obj.getTime();
    return Number.isFinite(time) ? obj.toISOString() : 'Invalid Date';
  }
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || obj instanceof SharedArrayBuffer) {
    note(walk, 'bytes');
    const bytes = ArrayBuffer.isView(obj) ? Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength) : Buffer.from(obj);
    return cleanBytes(bytes, walk);
  }
  if (obj instanceof RegExp || obj instanceof URL) {
    note(walk, 'class-instance');
    return cleanString(String(obj), walk);
  }
  if (obj instanceof String || obj instanceof Number || obj instanceof Boolean) {
    note(walk, 'class-instance');
    return clean(obj.valueOf(), walk, depth) ?? null;
  }
  walk.path.push(obj);
  try {
    if (Array.isArray(obj)) return cleanList(obj, walk, depth);
    if (obj instanceof Set) {
      note(walk, 'set');
      return cleanList([...obj], walk, depth);
    }
    if (obj instanceof Map) {
      note(walk, 'map');
      const entries: [string, unknown][] = [];
      for (const [k, v] of obj) entries.push([typeof k === 'string' ? k : keyString(k, walk), v]);
      return cleanEntries(entries, walk, depth);
    }
    if (obj instanceof Error) {
      note(walk, 'error-object');
      const entries: [string, unknown][] = [
        ['name', obj.name],
        ['message', obj.message],
        ['stack', obj.stack],
      ];
      if (obj.cause !== undefined) entries.push(['cause', obj.cause]);
      return cleanEntries(entries, walk, depth);
    }
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) note(walk, 'class-instance');
    const keys = Object.keys(obj);
    const entries: [string, unknown][] = new Array<[string, unknown]>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      let member: unknown;
      try {
        member = (obj as Record<string, unknown>)[key];
      } catch {
        note(walk, 'unreadable');
        member = '[Unreadable]';
      }
      entries[i] = [key, member];
    }
    return cleanEntries(entries, walk, depth);
  } catch {
    note(walk, 'unreadable');
    return '[Unreadable]';
  } finally {
    walk.path.pop();
  }
}

/** A Map key as an object key: primitives by their string form, objects as `[object Type]`. */
function keyString(key: unknown, walk: Walk): string {
  note(walk, 'map-key');
  if (typeof key === 'object' && key !== null) return Object.prototype.toString.call(key);
  return typeof key === 'symbol' ? key.toString() : String(key);
}

function cleanList(items: readonly unknown[], walk: Walk, depth: number): SanitizedValue[] {
  const n = items.length;
  const out: SanitizedValue[] = [];
  for (let i = 0; i < n; i++) {
    if (i >= walk.limits.maxItems || walk.budget <= 0) {
      note(walk, 'truncated');
      out.push(`…[truncated ${n - i} items]`);
      break;
    }
    out.push(clean(items[i], walk, depth + 1) ?? null);
  }
  return out;
}

function cleanEntries(entries: readonly [string, unknown][], walk: Walk, depth: number): { [key: string]: SanitizedValue } {
  const out: { [key: string]: SanitizedValue } = {};
  const n = entries.length;
  for (let i = 0; i < n; i++) {
    if (i >= walk.limits.maxItems || walk.budget <= 0) {
      note(walk, 'truncated');
      out['…[truncated]'] = `${n - i} keys`;
      break;
    }
    const [rawKey, member] = entries[i] as [string, unknown];
    let key = rawKey;
    if (RESERVED_KEYS.has(key)) {
      note(walk, 'reserved-key');
      key = `[${key}]`;
    }
    walk.budget -= key.length;
    const cleaned = clean(member, walk, depth + 1);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}
