/**
 * IPv6 addresses: around each `:`, the longest hex/colon/dot span not glued to a word, kept when
 * `net.isIPv6` accepts it (full, compressed and IPv4-tailed forms, at most 45 characters). Each
 * span is read once, so the scan is linear.
 */
import { isIPv6 } from 'node:net';
import type { MatchSet } from './match-set.js';
import { isHexOrColon, isWordOrDot } from './run-checks.js';

/** Longest textual IPv6 address (with an IPv4 tail). */
const MAX_IPV6 = 45;

/** Adds every IPv6 address of `text` to `found`. */
export function scanIpv6(text: string, found: MatchSet): void {
  const n = text.length;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    let l = colon;
    while (l > 0 && isHexOrColon(text.charCodeAt(l - 1))) l--;
    let r = colon + 1;
    while (r < n && (isHexOrColon(text.charCodeAt(r)) || text.charCodeAt(r) === 46)) r++;
    while (r > colon && text.charCodeAt(r - 1) === 46) r--;
    // a single `:` after the address (`… for fe80::1: timeout`) is punctuation
    if (r - 1 > colon && text.charCodeAt(r - 1) === 58 && text.charCodeAt(r - 2) !== 58) r--;
    // one `.` after the address that no word follows (`… from 2001:db8::1.`) ends a sentence
    const sentenceEnd = text.charCodeAt(r) === 46 && !(r + 1 < n && isWordOrDot(text.charCodeAt(r + 1)));
    if (
      r - l <= MAX_IPV6 &&
      !(l > 0 && isWordOrDot(text.charCodeAt(l - 1))) &&
      !(r < n && !sentenceEnd && isWordOrDot(text.charCodeAt(r)))
    ) {
      const candidate = text.slice(l, r);
      if (candidate !== '::' && candidate.indexOf(':') !== candidate.lastIndexOf(':') && isIPv6(candidate))
        found.add(l, r, 'ipv6');
    }
    colon = text.indexOf(':', Math.max(r, colon + 1));
  }
}
