/**
 * Hot-path check: would `sanitizeValue` (src/events/sanitize.ts) return this helper argument
 * unchanged? True for trees of plain objects/arrays, strings within `maxStringLength`, finite
 * numbers, booleans and null, without reserved keys (`__proto__`, `constructor`, `prototype`),
 * within `maxDepth`/`maxItems` and within the `maxBytes` budget counted the same way (string and
 * key lengths, 8 per number/boolean/null). Such a value is passed to the OTel SDK as is — the SDK
 * copies nested attribute values when it creates the record (sdk-logs `truncateToSize`), so no
 * later processor can reach the caller's object. Anything else goes through the sanitizer.
 * A cycle always exceeds the depth limit, so it is never reported clean. Never throws.
 */
import type { SanitizeLimits } from '../events/sanitize.js';

interface Budget {
  left: number;
}

/** True when `value` needs no sanitizing under `limits` (see module doc). */
export function isCleanValue(value: unknown, limits: SanitizeLimits): boolean {
  try {
    return clean(value, limits, 0, { left: limits.maxBytes });
  } catch {
    return false;
  }
}

function clean(value: unknown, limits: SanitizeLimits, depth: number, budget: Budget): boolean {
  switch (typeof value) {
    case 'string':
      if (value.length > limits.maxStringLength || value.length > budget.left) return false;
      budget.left -= value.length;
      return true;
    case 'number':
      budget.left -= 8;
      return Number.isFinite(value);
    case 'boolean':
      budget.left -= 8;
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) {
    budget.left -= 8;
    return true;
  }
  if (depth >= limits.maxDepth) return false;
  if (Array.isArray(value)) {
    if (value.length > limits.maxItems) return false;
    for (let i = 0; i < value.length; i++) {
      if (budget.left <= 0 || !clean(value[i], limits, depth + 1, budget)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let items = 0;
  for (const key in value) {
    if (++items > limits.maxItems || budget.left <= 0) return false;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return false;
    budget.left -= key.length;
    if (!clean((value as Record<string, unknown>)[key], limits, depth + 1, budget)) return false;
  }
  return true;
}
