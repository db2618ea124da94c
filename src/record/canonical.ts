/**
 * The one canonical serialization of audit records.
 *
 * Every signer and every verifier (journal, Loki, in-memory) goes through this module, so a
 * record signed in one place verifies in any other. The form is JSON with:
 * - object keys sorted by UTF-16 code unit order (`Array.prototype.sort()` default), at every depth;
 * - no insignificant white space;
 * - strings escaped exactly as `JSON.stringify` escapes them;
 * - numbers as `JSON.stringify` prints them (shortest round-trip form); non-finite numbers are not
 *   allowed (the sanitizer turns them into strings before a record reaches the signer);
 * - `undefined` object members omitted; `undefined` array items written as `null`.
 *
 * Property: for any value `v` produced by {@link canonicalize}, `canonicalize(JSON.parse(s)) === s`
 * where `s = canonicalize(v)`. That is what lets a verifier rebuild the exact signed bytes from a
 * parsed journal line or from the log line that a backend such as Loki returns.
 */

/** A JSON value as the canonical form accepts it. */
export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly (CanonicalValue | undefined)[]
  | { readonly [key: string]: CanonicalValue | undefined };

/**
 * Serializes `value` in canonical form. Throws `TypeError` on values JSON cannot carry. A value
 * already in canonical shape (e.g. a parsed canonical line) is serialized natively
 * ({@link isStringifyCanonical}); others are written member by member with sorted keys.
 */
export function canonicalize(value: CanonicalValue | undefined): string {
  if (typeof value === 'object' && value !== null && isStringifyCanonical(value)) return JSON.stringify(value);
  return sortedJson(value);
}

/**
 * The canonical form written member by member, never through a native `JSON.stringify` of a
 * container: the reference the fast paths are checked against (sampled in the signer, and in tests).
 */
export function canonicalizeMemberwise(value: CanonicalValue | undefined): string {
  return sortedJson(value);
}

function sortedJson(value: CanonicalValue | undefined): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical form cannot carry the number ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += sortedJson(value[i] as CanonicalValue | undefined);
        }
        return out + ']';
      }
      const obj = value as { readonly [key: string]: CanonicalValue | undefined };
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = obj[key];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key) + ':' + sortedJson(member);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonical form cannot carry a ${typeof value}`);
  }
}

/** Characters `JSON.stringify` escapes in a string: controls, `"`, `\\`, and surrogates (lone ones are escaped). */
// eslint-disable-next-line no-control-regex -- JSON escapes exactly these control characters
const ESCAPED_CHAR = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * `JSON.stringify(text)`, without the native call's fixed cost when nothing in `text` needs
 * escaping (ids, signatures, plain texts): then the JSON string is `text` in quotes. A text with
 * a surrogate, control character, quote or backslash goes through `JSON.stringify`.
 */
export function jsonText(text: string): string {
  return ESCAPED_CHAR.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/** `JSON.stringify(value)` of a number: its `String` form when finite (the same text), `null` otherwise. */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Deepest nesting {@link isStringifyCanonical} walks before answering `false`. */
const READY_MAX_DEPTH = 64;
/** Most objects/arrays {@link isStringifyCanonical} visits before answering `false` (shared subtrees count each time). */
const READY_MAX_NODES = 20_000;
/** Objects/arrays still allowed in the current walk (single-threaded, reset per call). */
let readyBudget = READY_MAX_NODES;

/**
 * True when `JSON.stringify(value)` already is `canonicalize(value)`: plain objects whose own keys
 * enumerate in strictly ascending order with no key starting with a digit (JavaScript lists
 * integer-like keys first) and no `__proto__` key, arrays, strings, finite numbers, booleans, null
 * and `undefined` members, at most {@link READY_MAX_DEPTH} deep and {@link READY_MAX_NODES}
 * containers large. Anything else (a byte array, a Date, a non-finite number, a cycle, a huge
 * shared-subtree graph) answers `false` and must be made JSON-safe and sorted first.
 * Allocates nothing: this is the signer's hot-path test before it serializes natively.
 */
export function isStringifyCanonical(value: unknown): boolean {
  readyBudget = READY_MAX_NODES;
  return ready(value, 0);
}

function ready(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= READY_MAX_DEPTH || --readyBudget < 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!ready(value[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    const c = key.charCodeAt(0);
    if ((c >= 48 && c <= 57) || key === '__proto__') return false;
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!ready((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
