/**
 * What a found PII value is replaced with, per mode: a redaction marker, a partial mask, or a
 * keyed pseudonym (HMAC-SHA256 of the normalized value).
 */
import { createHmac } from 'node:crypto';
import { PiiDetectors } from './detectors.js';
import { PII_KINDS, type PiiKind, type PiiMode } from './types.js';

/** Hex characters of a pseudonym (64 bits). */
const TOKEN_HEX = 16;

/**
 * The comparable form of a value of `kind`: e-mail/IP lower-cased and trimmed; phone and card
 * digits only; IBAN upper-case letters and digits; field values trimmed, lower-cased, inner
 * white space collapsed.
 */
export function normalizePii(value: string, kind: PiiKind): string {
  switch (kind) {
    case 'phone':
    case 'card':
    case 'ssn':
      return value.replace(/\D+/g, '');
    case 'iban':
      return value.toUpperCase().replace(/[^A-Z0-9]+/g, '');
    case 'email':
    case 'ipv4':
    case 'ipv6':
      return value.trim().toLowerCase();
    default:
      return value.trim().replace(/\s+/g, ' ').toLowerCase();
  }
}

function keyBytes(key: string | Uint8Array): Uint8Array {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
}

const classifier = new PiiDetectors();

/**
 * The pseudonym of a known value, e.g. `pseudonymize('Jane@Example.com ', key)` →
 * `pii:email:…` — the same token the processor writes in `pseudonymize` mode with the same key,
 * so a lead's records can be found from a value you already know (`audit-cli hash`). `kind`
 * defaults to what the whole value looks like (`field` when it matches no detector). Throws a
 * `TypeError` for an empty key or an unknown kind.
 */
export function pseudonymize(value: string, key: string | Uint8Array, kind?: PiiKind | string): string {
  const bytes = keyBytes(key);
  if (bytes.length === 0) throw new TypeError('pseudonymize needs a non-empty key');
  if (kind !== undefined && !(PII_KINDS as readonly string[]).includes(kind)) {
    throw new TypeError(`unknown PII kind "${kind}" (expected one of ${PII_KINDS.join(', ')})`);
  }
  const resolved: PiiKind = (kind as PiiKind | undefined) ?? classifier.classify(value) ?? 'field';
  return tokenOf(bytes, value, resolved);
}

function tokenOf(key: Uint8Array, value: string, kind: PiiKind): string {
  const digest = createHmac('sha256', key).update(normalizePii(value, kind), 'utf8').digest('hex');
  return `pii:${kind}:${digest.slice(0, TOKEN_HEX)}`;
}

/** Replaces PII values according to one mode. Pseudonyms are cached (bounded) per replacer. */
export class PiiReplacer {
  private readonly key: Uint8Array | undefined;
  private readonly cache = new Map<string, string>();
  private readonly cacheLimit: number;

  /** `key` is required (non-empty) for `pseudonymize`; throws an `Error` saying so otherwise. */
  constructor(
    readonly mode: PiiMode,
    key?: string | Uint8Array,
    cacheLimit = 10_000,
  ) {
    if (mode !== 'redact' && mode !== 'mask' && mode !== 'pseudonymize') {
      throw new Error(`PII mode must be redact, mask or pseudonymize (got ${String(mode)})`);
    }
    this.key = key === undefined ? undefined : keyBytes(key);
    if (mode === 'pseudonymize' && (this.key === undefined || this.key.length === 0)) {
      throw new Error(
        'PII mode "pseudonymize" needs a key (option `key`, a secret string or bytes; keep it out of the logs)',
      );
    }
    this.cacheLimit = cacheLimit;
  }

  /** The replacement of `value`, a PII value of `kind`. */
  replace(value: string, kind: PiiKind): string {
    switch (this.mode) {
      case 'redact':
        return redacted(kind);
      case 'mask':
        return maskPii(value, kind);
      default: {
        const cacheKey = kind + '\u0000' + value;
        const hit = this.cache.get(cacheKey);
        if (hit !== undefined) return hit;
        const token = tokenOf(this.key as Uint8Array, value, kind);
        if (this.cache.size >= this.cacheLimit) this.cache.clear();
        this.cache.set(cacheKey, token);
        return token;
      }
    }
  }
}

/** `[REDACTED:<kind>]`, the same string each time for the known kinds (no concatenation per value). */
function redacted(kind: PiiKind): string {
  switch (kind) {
    case 'email':
      return '[REDACTED:email]';
    case 'phone':
      return '[REDACTED:phone]';
    case 'card':
      return '[REDACTED:card]';
    case 'iban':
      return '[REDACTED:iban]';
    case 'ipv4':
      return '[REDACTED:ipv4]';
    case 'ipv6':
      return '[REDACTED:ipv6]';
    case 'ssn':
      return '[REDACTED:ssn]';
    case 'field':
      return '[REDACTED:field]';
    default:
      return `[REDACTED:${String(kind)}]`;
  }
}

/** Replaces every digit of `s` but the last `keep` with `*`, keeping separators. */
function maskDigits(s: string, keep: number, from = 0): string {
  let total = 0;
  for (let i = from; i < s.length; i++) if (isDigit(s.charCodeAt(i))) total++;
  let seen = 0;
  let out = s.slice(0, from);
  for (let i = from; i < s.length; i++) {
    const ch = s[i] as string;
    if (isDigit(s.charCodeAt(i))) {
      seen++;
      out += seen > total - keep ? ch : '*';
    } else {
      out += ch;
    }
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The partial mask of a PII value: e-mail `j***@example.com`; card `****-****-****-4242`; phone
 * `+44 ** **** 0958` (country code and last 4 digits kept); SSN `***-**-6789`; IBAN country and last 4 kept; IPv4
 * `192.168.*.*`; IPv6 first group and `:*`; field values first character and `***`.
 */
export function maskPii(value: string, kind: PiiKind): string {
  switch (kind) {
    case 'email': {
      const at = value.lastIndexOf('@');
      return (value[0] ?? '') + '***' + value.slice(at);
    }
    case 'card':
    case 'ssn':
      return maskDigits(value, 4);
    case 'phone': {
      if (!value.startsWith('+')) return maskDigits(value, 4);
      const space = value.search(/[^+\d]/);
      return space < 0 ? maskDigits(value, 4) : maskDigits(value, 4, space);
    }
    case 'iban': {
      let alnum = 0;
      for (let i = 0; i < value.length; i++) if (value[i] !== ' ') alnum++;
      let seen = 0;
      let out = '';
      for (let i = 0; i < value.length; i++) {
        const ch = value[i] as string;
        if (ch === ' ') {
          out += ch;
          continue;
        }
        seen++;
        out += seen <= 2 || seen > alnum - 4 ? ch : '*';
      }
      return out;
    }
    case 'ipv4': {
      const parts = value.split('.');
      return `${parts[0]}.${parts[1]}.*.*`;
    }
    case 'ipv6': {
      const first = value.split(':').find((g) => g.length > 0) ?? '';
      return `${first}:*`;
    }
    default:
      return value.length > 1 ? (value[0] as string) + '***' : '***';
  }
}
