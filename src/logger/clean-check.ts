/**
 * Hot-path check: would `sanitizeValue` (src/events/sanitize.ts) return this helper argument
 * unchanged? True for trees of plain objects/arrays, strings within `maxStringLength`, finite
 * numbers, booleans and null, without reserved keys (`__proto__`, `constructor`, `prototype`),
 * within `maxDepth`/`maxItems` and within the `maxBytes` budget counted the same way (string and
 * key lengths, 8 per number/boolean/null). The logger passes the {@link cleanSortedCopy} of such a
 * value to the OTel SDK: the same tree with object keys in canonical (sorted) order, so that the
 * signer can serialize it natively without another copy (see `isStringifyCanonical`). Anything
 * else goes through the sanitizer. A cycle always exceeds the depth limit, so it is never
 * reported clean. Never throws.
 */
import type { SanitizeLimits } from '../events/sanitize.js';
import { sortedKeys } from './key-order.js';

interface Budget {
  left: number;
}

/** True when `value` needs no sanitizing under `limits` (see module doc). */
export function isCleanValue(value: unknown, limits: SanitizeLimits): boolean {
  return cleanSortedCopy(value, limits) !== NOT_CLEAN;
}

/** Returned by {@link cleanSortedCopy} for values that need the sanitizer. */
export const NOT_CLEAN: unique symbol = Symbol('not clean');

/**
 * For a value {@link isCleanValue} accepts, a copy with every object's keys inserted in sorted
 * order (arrays keep their order; strings, numbers, booleans and null are shared); otherwise
 * {@link NOT_CLEAN}. One walk does both the check and the copy. Never throws.
 */
export function cleanSortedCopy(value: unknown, limits: SanitizeLimits): unknown {
  try {
    return copy(value, limits, 0, { left: limits.maxBytes });
  } catch {
    return NOT_CLEAN;
  }
}

function copy(value: unknown, limits: SanitizeLimits, depth: number, budget: Budget): unknown {
  switch (typeof value) {
    case 'string':
      if (value.length > limits.maxStringLength || value.length > budget.left) return NOT_CLEAN;
      budget.left -= value.length;
      return value;
    case 'number':
      budget.left -= 8;
      return Number.isFinite(value) ? value : NOT_CLEAN;
    case 'boolean':
      budget.left -= 8;
      return value;
    case 'object':
      break;
    default:
      return NOT_CLEAN;
  }
  if (value === null) {
    budget.left -= 8;
    return null;
  }
  if (depth >= limits.maxDepth) return NOT_CLEAN;
  if (Array.isArray(value)) {
    if (value.length > limits.maxItems) return NOT_CLEAN;
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (budget.left <= 0) return NOT_CLEAN;
      const item = copy(value[i], limits, depth + 1, budget);
      if (item === NOT_CLEAN) return NOT_CLEAN;
      out[i] = item;
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_CLEAN;
  const own = Object.keys(value);
  if (own.length > limits.maxItems) return NOT_CLEAN;
  const keys = sortedKeys(own);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (budget.left <= 0 || key === '__proto__' || key === 'constructor' || key === 'prototype') return NOT_CLEAN;
    budget.left -= key.length;
    const member = copy((value as Record<string, unknown>)[key], limits, depth + 1, budget);
    if (member === NOT_CLEAN) return NOT_CLEAN;
    out[key] = member;
  }
  return out;
}
