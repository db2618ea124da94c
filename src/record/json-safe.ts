/**
 * The one JSON-safe walker: turns any JavaScript value into a fresh tree that JSON, the OTel log
 * SDK (`AnyValue`) and {@link canonicalize} can carry. The input sanitizer (helper arguments) and
 * the record content (what the signer commits to, for values emitted by any OTel code) both use
 * it, so a value gets the same form and the same markers whichever way it entered the pipeline:
 *
 * | input                               | becomes                                   | issue           |
 * |-------------------------------------|-------------------------------------------|-----------------|
 * | circular reference                  | `"[Circular]"`                            | `circular`      |
 * | BigInt                              | decimal string                            | `bigint`        |
 * | function / symbol                   | `"[Function name]"` / `"Symbol(desc)"`    | `function` / `symbol` |
 * | Buffer, typed array, ArrayBuffer    | `"base64:<base64 of the bytes>"`          | `bytes`         |
 * | Date                                | ISO string (`"Invalid Date"` if invalid)  | `date`          |
 * | Map / Set                           | object / array (non-string Map keys stringified, `map-key`) | `map` / `set` |
 * | `__proto__`, `constructor`, `prototype` key | with `renameReservedKeys`: kept as data under `[__proto__]` etc.; else kept as an own data member | `reserved-key` |
 * | Error                               | `{ name, message, stack, cause? }`        | `error-object`  |
 * | other class instance, RegExp, URL, boxed primitive | own enumerable data / string form | `class-instance` |
 * | NaN / ±Infinity                     | `"NaN"` / `"Infinity"` / `"-Infinity"`    | `non-finite`    |
 * | getter or proxy that throws         | `"[Unreadable]"`                          | `unreadable`    |
 * | nesting deeper than `maxDepth`      | `"[Too deep]"`                            | `too-deep`      |
 * | more than `maxNodes` objects/arrays | `"[Too large]"`                           | `too-large`     |
 * | string over `maxStringLength`, container over `maxItems`, total over `maxBytes` | cut, marked in the value (`…[truncated N chars]`, `…[truncated N bytes]`, `"…[truncated N items]"`, key `"…[truncated]"`) | `truncated` |
 *
 * `undefined` members are dropped (as JSON does); `undefined` array items become `null`. The
 * walk keeps no state between calls.
 */
import { Buffer } from 'node:buffer';
import { utf8CutIndex } from './bytes-cut.js';
import { CUT_ANYWHERE, cutText, type CutPoint } from './text-cut.js';
import type { SanitizeIssue } from '../events/failure-kinds.js';

/** A JSON-safe value. */
export type JsonSafeValue = string | number | boolean | null | JsonSafeValue[] | { [key: string]: JsonSafeValue };

/** The marker strings the walker writes in place of values it cannot carry. */
export const JSON_SAFE_MARKER = Object.freeze({
  circular: '[Circular]',
  tooDeep: '[Too deep]',
  tooLarge: '[Too large]',
  unreadable: '[Unreadable]',
  /** Prefix of byte values (`base64:<bytes>`). */
  bytes: 'base64:',
});

/** Size limits of one walk (`Infinity` for none). */
export interface JsonSafeLimits {
  /** Deepest nesting kept; deeper values become `"[Too deep]"`. */
  readonly maxDepth: number;
  /** Longest string kept, in UTF-16 units. */
  readonly maxStringLength: number;
  /** Most keys of one object / items of one array kept. */
  readonly maxItems: number;
  /** Approximate budget of the whole value (string and key lengths, 8 per number/boolean/null). */
  readonly maxBytes: number;
  /** Most objects/arrays copied (a shared reference is copied each time it is met). */
  readonly maxNodes: number;
}

/** How to walk. */
export interface JsonSafeOptions {
  readonly limits: JsonSafeLimits;
  /** Insert object keys in sorted (canonical) order. */
  readonly sortKeys?: boolean;
  /** Where a long string or byte value may be cut (default: exactly at the limit). */
  readonly cutPoint?: CutPoint;
  /**
   * Rename `__proto__`, `constructor` and `prototype` keys to `[key]` (the OTel SDK rejects a map
   * whose `constructor` is not `Object`, and copies maps with `{}`-assignment, where `__proto__`
   * would set a prototype). Without it they stay own data members, as `JSON.stringify` writes them.
   */
  readonly renameReservedKeys?: boolean;
}

/** The JSON-safe tree and what the walk changed. */
export interface JsonSafeResult {
  readonly value: JsonSafeValue;
  /** Names of what was changed (see the table above), sorted, each once. */
  readonly issues: readonly SanitizeIssue[];
  /** How many values were changed. */
  readonly changes: number;
  /**
   * An object key starts with a digit: JavaScript enumerates integer-like keys first, so a
   * sorted copy holding one does not serialize canonically through `JSON.stringify`.
   */
  readonly digitKeys: boolean;
}

const NO_ISSUES: readonly SanitizeIssue[] = Object.freeze([]);
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The state of one walk (created per call). */
interface Walk {
  readonly limits: JsonSafeLimits;
  readonly sortKeys: boolean;
  readonly renameReserved: boolean;
  readonly cut: CutPoint;
  issues: Set<SanitizeIssue> | undefined;
  changes: number;
  digitKeys: boolean;
  /** Objects on the current path (cycle detection). */
  readonly path: object[];
  budget: number;
  nodes: number;
}

/** Walks `input` (see module doc). Never throws. */
export function toJsonSafe(input: unknown, options: JsonSafeOptions): JsonSafeResult {
  const walk: Walk = {
    limits: options.limits,
    sortKeys: options.sortKeys === true,
    renameReserved: options.renameReservedKeys === true,
    cut: options.cutPoint ?? CUT_ANYWHERE,
    issues: undefined,
    changes: 0,
    digitKeys: false,
    path: [],
    budget: options.limits.maxBytes,
    nodes: options.limits.maxNodes,
  };
  let value: JsonSafeValue;
  try {
    value = clean(input, walk, 0) ?? null;
  } catch {
    note(walk, 'unreadable');
    value = JSON_SAFE_MARKER.unreadable;
  }
  return {
    value,
    issues: walk.issues === undefined ? NO_ISSUES : [...walk.issues].sort(),
    changes: walk.changes,
    digitKeys: walk.digitKeys,
  };
}

function note(walk: Walk, issue: SanitizeIssue): void {
  walk.changes++;
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

/** Bytes as `base64:<bytes>`; when that is too long, whole bytes are cut (where the cut policy allows, reading them as UTF-8). */
function cleanBytes(bytes: Buffer, walk: Walk): string {
  const text = JSON_SAFE_MARKER.bytes + bytes.toString('base64');
  const room = Math.max(0, Math.min(walk.limits.maxStringLength, walk.budget));
  if (text.length <= room) {
    walk.budget -= text.length;
    return text;
  }
  note(walk, 'truncated');
  walk.budget -= room;
  const fits = Math.floor(Math.max(0, room - JSON_SAFE_MARKER.bytes.length) / 4) * 3;
  const at = utf8CutIndex(bytes, fits, walk.cut);
  return `${JSON_SAFE_MARKER.bytes}${bytes.subarray(0, at).toString('base64')}…[truncated ${bytes.length - at} bytes]`;
}

function clean(value: unknown, walk: Walk, depth: number): JsonSafeValue | undefined {
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

function cleanObject(obj: object, walk: Walk, depth: number): JsonSafeValue {
  if (walk.path.includes(obj)) {
    note(walk, 'circular');
    return JSON_SAFE_MARKER.circular;
  }
  if (depth >= walk.limits.maxDepth) {
    note(walk, 'too-deep');
    return JSON_SAFE_MARKER.tooDeep;
  }
  if (--walk.nodes < 0) {
    note(walk, 'too-large');
    return JSON_SAFE_MARKER.tooLarge;
  }
  if (obj instanceof Date) {
    note(walk, 'date');
    const time = obj.getTime();
    return Number.isFinite(time) ? obj.toISOString() : 'Invalid Date';
  }
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || obj instanceof SharedArrayBuffer) {
    note(walk, 'bytes');
    return cleanBytes(
      ArrayBuffer.isView(obj) ? Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength) : Buffer.from(obj),
      walk,
    );
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
        member = JSON_SAFE_MARKER.unreadable;
      }
      entries[i] = [key, member];
    }
    return cleanEntries(entries, walk, depth);
  } catch {
    note(walk, 'unreadable');
    return JSON_SAFE_MARKER.unreadable;
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

function cleanList(items: readonly unknown[], walk: Walk, depth: number): JsonSafeValue[] {
  const n = items.length;
  const out: JsonSafeValue[] = [];
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

function cleanEntries(entries: [string, unknown][], walk: Walk, depth: number): { [key: string]: JsonSafeValue } {
  const out: { [key: string]: JsonSafeValue } = {};
  if (walk.sortKeys) {
    // sorted by the keys as written (reserved keys renamed first)
    for (const entry of entries) entry[0] = safeKey(entry[0], walk);
    if (entries.length > 1) entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  const n = entries.length;
  for (let i = 0; i < n; i++) {
    if (i >= walk.limits.maxItems || walk.budget <= 0) {
      note(walk, 'truncated');
      out['…[truncated]'] = `${n - i} keys`;
      break;
    }
    const [rawKey, member] = entries[i] as [string, unknown];
    const key = walk.sortKeys ? rawKey : safeKey(rawKey, walk);
    const c = key.charCodeAt(0);
    if (c >= 48 && c <= 57) walk.digitKeys = true;
    walk.budget -= key.length;
    const cleaned = clean(member, walk, depth + 1);
    if (cleaned === undefined) continue;
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: cleaned, enumerable: true, writable: true, configurable: true });
    else out[key] = cleaned;
  }
  return out;
}

/** `key`, or `[key]` for the keys the OTel SDK and object literals treat specially (`__proto__`, `constructor`, `prototype`). */
function safeKey(key: string, walk: Walk): string {
  if (!walk.renameReserved || !RESERVED_KEYS.has(key)) return key;
  note(walk, 'reserved-key');
  return `[${key}]`;
}
