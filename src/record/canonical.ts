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

/** Serializes `value` in canonical form. Throws `TypeError` on values JSON cannot carry. */
export function canonicalize(value: CanonicalValue | undefined): string {
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
          out += canonicalize(value[i] as CanonicalValue | undefined);
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
        out += JSON.stringify(key) + ':' + canonicalize(member);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonical form cannot carry a ${typeof value}`);
  }
}
