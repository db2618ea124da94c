/**
 * Hot-path check: is a helper argument already a clean attribute value (plain objects/arrays,
 * strings within the limits, finite numbers, booleans, null; no reserved keys; not too deep or
 * wide)? Such a value is passed to the OTel SDK as is — the SDK copies nested attribute values
 * when the record is created (sdk-logs `truncateToSize`), so no later processor can reach the
 * caller's object. Anything else goes through the sanitizer, which makes a cleaned copy.
 * A cycle always exceeds the depth limit, so it is never reported clean.
 */
import type { SanitizeLimits } from './sanitize-fallback.js';

interface Budget {
  chars: number;
}

/** True when `value` needs no sanitizing under `limits` (see module doc). Never throws. */
export function isCleanValue(value: unknown, limits: SanitizeLimits): boolean {
  try {
    return clean(value, limits, 0, { chars: limits.maxTotalChars });
  } catch {
    return false;
  }
}

function clean(value: unknown, limits: SanitizeLimits, depth: number, budget: Budget): boolean {
  switch (typeof value) {
    case 'string':
      if (value.length > limits.maxStringLength) return false;
      budget.chars -= value.length;
      return budget.chars >= 0;
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= limits.maxDepth) return false;
  if (Array.isArray(value)) {
    if (value.length > limits.maxItems) return false;
    for (let i = 0; i < value.length; i++) if (!clean(value[i], limits, depth + 1, budget)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let items = 0;
  for (const key in value) {
    if (++items > limits.maxItems) return false;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return false;
    const member = (value as Record<string, unknown>)[key];
    if (!clean(member, limits, depth + 1, budget)) return false;
  }
  // own symbol keys or non-enumerable oddities are fine: neither the SDK nor the signer reads them
  return true;
}
