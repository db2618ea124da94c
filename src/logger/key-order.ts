/**
 * Canonical (sorted) key order for the objects the logger hands to the OTel SDK, so that the signer
 * can serialize them natively (see `isStringifyCanonical` in src/record/canonical.ts). Objects of
 * one kind repeat their key order, so the sorted order of recent key sequences is remembered.
 */
import type { LogAttributes } from '@opentelemetry/api-logs';

/** Sorted key lists of the key sequences met last (objects of one kind repeat their key order). */
const orderCache: { readonly seen: readonly string[]; readonly sorted: readonly string[] }[] = [];
const ORDER_CACHE_SIZE = 16;

/** `keys` in sorted order: `keys` itself when already sorted, else a sorted list (remembered). */
export function sortedKeys(keys: string[]): readonly string[] {
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = (keys[i - 1] as string) < (keys[i] as string);
  if (sorted) return keys;
  for (const entry of orderCache) {
    if (sameList(entry.seen, keys)) return entry.sorted;
  }
  const result = keys.slice().sort();
  if (orderCache.length >= ORDER_CACHE_SIZE) orderCache.pop();
  orderCache.unshift({ seen: keys, sorted: result });
  return result;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `attributes` with its keys inserted in sorted order; the object itself when already sorted. */
export function inCanonicalOrder(attributes: LogAttributes): LogAttributes {
  const own = Object.keys(attributes);
  const keys = sortedKeys(own);
  if (keys === own) return attributes;
  const out: LogAttributes = {};
  for (const key of keys) out[key] = attributes[key];
  return out;
}
