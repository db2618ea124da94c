/**
 * Signing and verification keys: the active HMAC-SHA256 key `{kid, secret}` plus older keys kept
 * for verification after a rotation. Keys come from options, environment variables or a JSON key
 * file; secrets are held in private {@link HmacSha256} instances (precomputed key pads) and are
 * never printed (`toJSON` and `util.inspect` redact them). See docs/integrity.md "Keys".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { HmacSha256 } from './hmac.js';

/** Minimum secret length in bytes (the HMAC-SHA256 block-size half; NIST recommends ≥ the output size). */
export const MIN_SECRET_BYTES = 32;

/** Environment variable names read by {@link loadKeyring} and {@link loadVerificationKeys}. */
export const KEY_ENV = {
  /** Active signing secret (hex, base64, or `hex:`/`base64:` prefixed). */
  signingKey: 'AUDIT_SIGNING_KEY',
  /** Key id of `AUDIT_SIGNING_KEY` (default: derived from the secret, `k-<8 hex>`). */
  signingKeyId: 'AUDIT_SIGNING_KEY_ID',
  /** Extra verification keys: `kid1:secret1,kid2:secret2`. */
  verifyKeys: 'AUDIT_VERIFY_KEYS',
  /** Path of a JSON key file `{"active":"k2","keys":{"k1":"…","k2":"…"}}`. */
  keyFile: 'AUDIT_KEY_FILE',
} as const;

/** A key configuration problem; the message says how to fix it and never contains a secret. */
export class AuditKeyError extends Error {
  override readonly name = 'AuditKeyError';
}

/** A secret as given: encoded text (see {@link decodeSecret}) or raw bytes. */
export type SecretInput = string | Uint8Array;

/** Where keys come from. Every field is optional; see {@link loadKeyring} for precedence. */
export interface KeyringOptions {
  /** Active signing secret. */
  readonly signingKey?: SecretInput;
  /** Key id of {@link signingKey} (default: derived from the secret). */
  readonly signingKeyId?: string;
  /** Extra verification keys by key id (older keys after a rotation). */
  readonly verificationKeys?: { readonly [kid: string]: SecretInput };
  /** JSON key file (`{"active":"k2","keys":{"k1":"base64…","k2":"…"}}`). */
  readonly keyFile?: string;
  /** Environment to read `AUDIT_*` variables from (default `process.env`; `{}` to ignore the environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Result of a signature check. */
export type SignatureCheck = 'valid' | 'invalid' | 'unknown-key';

const REDACTED = '[REDACTED]';

/**
 * A set of HMAC keys by key id, with at most one active signing key. Secrets cannot be read back.
 */
export class Keyring {
  private readonly keys: Map<string, HmacSha256>;
  private readonly active: HmacSha256 | undefined;
  /** Id of the active signing key, if any. */
  readonly activeKid: string | undefined;

  /** @internal use {@link loadKeyring} / {@link loadVerificationKeys}. */
  constructor(keys: Map<string, Buffer>, activeKid: string | undefined) {
    this.keys = new Map([...keys].map(([kid, secret]) => [kid, new HmacSha256(secret)]));
    this.activeKid = activeKid;
    this.active = activeKid === undefined ? undefined : this.keys.get(activeKid);
  }

  /** Key ids known to this keyring, active first. */
  kids(): string[] {
    const all = [...this.keys.keys()];
    return this.activeKid === undefined ? all : [this.activeKid, ...all.filter((k) => k !== this.activeKid)];
  }

  /** Whether a key with this id is known. */
  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  /** base64url (no padding) HMAC-SHA256 of `canonical` under the active key. Throws without an active key. */
  sign(canonical: string): string {
    if (!this.active) throw new AuditKeyError('this keyring has no active signing key');
    return this.active.digestBase64url(canonical);
  }

  /** Checks `sig` over `canonical` under key `kid`, in constant time. */
  verify(kid: string, canonical: string, sig: string): SignatureCheck {
    const key = this.keys.get(kid);
    if (!key) return 'unknown-key';
    const expected = Buffer.from(key.digestBase64url(canonical));
    const given = Buffer.from(sig);
    if (given.length !== expected.length) return 'invalid';
    return timingSafeEqual(given, expected) ? 'valid' : 'invalid';
  }

  /** Redacted form: key ids only. */
  toJSON(): { activeKid: string | undefined; kids: string[]; secrets: string } {
    return { activeKid: this.activeKid, kids: this.kids(), secrets: REDACTED };
  }

  /** Redacted form for `console.log` / `util.inspect`. */
  [inspect.custom](): string {
    return `Keyring { activeKid: ${JSON.stringify(this.activeKid)}, kids: ${JSON.stringify(this.kids())}, secrets: ${REDACTED} }`;
  }

  /** Redacted form for string conversion. */
  toString(): string {
    return this[inspect.custom]();
  }
}

/**
 * Decodes a secret: `hex:…` or `base64:…` (standard or url alphabet) explicitly; unprefixed text
 * is hex when it is an even-length run of hex digits, else base64. Bytes are taken as they are.
 * @throws AuditKeyError on undecodable text or fewer than {@link MIN_SECRET_BYTES} bytes.
 */
export function decodeSecret(input: SecretInput, what: string): Buffer {
  let bytes: Buffer;
  if (typeof input !== 'string') {
    bytes = Buffer.from(input);
  } else {
    const text = input.trim();
    if (text.startsWith('hex:')) bytes = decodeHex(text.slice(4), what);
    else if (text.startsWith('base64:')) bytes = decodeBase64(text.slice(7), what);
    else if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) bytes = Buffer.from(text, 'hex');
    else bytes = decodeBase64(text, what);
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new AuditKeyError(
      `${what} is ${bytes.length} bytes long; at least ${MIN_SECRET_BYTES} bytes are required. ` +
        `Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  return bytes;
}

function decodeHex(text: string, what: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text))
    throw new AuditKeyError(`${what} is not valid hex (expected an even number of 0-9a-f digits after "hex:")`);
  return Buffer.from(text, 'hex');
}

function decodeBase64(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
    throw new AuditKeyError(
      `${what} is neither hex nor base64; prefix it with "hex:" or "base64:" and check its characters`,
    );
  }
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Default key id of a secret: `k-` and the first 8 hex digits of a SHA-256 fingerprint (not the secret). */
export function derivedKeyId(secret: Buffer): string {
  return 'k-' + createHash('sha256').update('orchestrator-audit-kid\0').update(secret).digest('hex').slice(0, 8);
}

function checkKid(kid: string, what: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(kid))
    throw new AuditKeyError(`${what}: key id ${JSON.stringify(kid)} must be 1-64 characters of A-Z a-z 0-9 . _ -`);
  return kid;
}

interface Collected {
  readonly keys: Map<string, Buffer>;
  active: string | undefined;
}

function add(into: Collected, kid: string, secret: SecretInput, what: string): string {
  checkKid(kid, what);
  const bytes = decodeSecret(secret, what);
  const known = into.keys.get(kid);
  if (known && !known.equals(bytes)) {
    throw new AuditKeyError(
      `${what}: key id "${kid}" is configured twice with different secrets; give each secret its own key id`,
    );
  }
  into.keys.set(kid, bytes);
  return kid;
}

/** Parses `kid1:secret1,kid2:secret2`. */
function addVerifyList(into: Collected, list: string, what: string): void {
  const parts = list.split(',');
  for (let i = 0; i < parts.length; i++) {
    const item = (parts[i] as string).trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    if (colon <= 0)
      throw new AuditKeyError(
        `${what}: expected "kid:secret" pairs separated by commas (entry #${i + 1} has no "kid:")`,
      );
    const kid = item.slice(0, colon);
    add(into, kid, item.slice(colon + 1), `${what} key "${kid}"`);
  }
}

/** Reads a key file `{"active":"k2","keys":{"k1":"…","k2":"…"}}`. */
function addKeyFile(into: Collected, file: string, takeActive: boolean): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code ?? (err instanceof SyntaxError ? 'not valid JSON' : 'unreadable');
    throw new AuditKeyError(
      `key file ${file} cannot be read (${reason}); expected JSON {"active":"k1","keys":{"k1":"<base64 secret>"}}`,
    );
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw new AuditKeyError(
      `key file ${file} has no "keys" object; expected {"active":"k1","keys":{"k1":"<base64 secret>"}}`,
    );
  }
  for (const [kid, secret] of Object.entries(keys as Record<string, unknown>)) {
    if (typeof secret !== 'string')
      throw new AuditKeyError(`key file ${file}: key "${kid}" must be a string (hex or base64)`);
    add(into, kid, secret, `key file ${file} key "${kid}"`);
  }
  const active = (parsed as { active?: unknown }).active;
  if (active !== undefined) {
    if (typeof active !== 'string' || !into.keys.has(active))
      throw new AuditKeyError(`key file ${file}: "active" must name one of its keys`);
    if (takeActive && into.active === undefined) into.active = active;
  }
}

function collect(options: KeyringOptions): Collected {
  const env = options.env ?? process.env;
  const into: Collected = { keys: new Map(), active: undefined };
  if (options.signingKey !== undefined) {
    const secret = decodeSecret(options.signingKey, 'option signingKey');
    into.active = add(into, options.signingKeyId ?? derivedKeyId(secret), secret, 'option signingKey');
  }
  if (options.keyFile !== undefined) addKeyFile(into, options.keyFile, true);
  const envKey = env[KEY_ENV.signingKey];
  if (envKey !== undefined && envKey !== '') {
    const secret = decodeSecret(envKey, KEY_ENV.signingKey);
    const kid = env[KEY_ENV.signingKeyId] || derivedKeyId(secret);
    add(into, kid, secret, KEY_ENV.signingKey);
    if (into.active === undefined) into.active = kid;
  }
  const envFile = env[KEY_ENV.keyFile];
  if (envFile !== undefined && envFile !== '' && envFile !== options.keyFile) addKeyFile(into, envFile, true);
  for (const [kid, secret] of Object.entries(options.verificationKeys ?? {}))
    add(into, kid, secret, `verification key "${kid}"`);
  const list = env[KEY_ENV.verifyKeys];
  if (list !== undefined && list !== '') addVerifyList(into, list, KEY_ENV.verifyKeys);
  return into;
}

/**
 * Loads the signing keyring. Precedence of the active key: option `signingKey`, option
 * `keyFile`'s `active`, `AUDIT_SIGNING_KEY` (+ `AUDIT_SIGNING_KEY_ID`), `AUDIT_KEY_FILE`'s
 * `active`. Every other key found (key files, `verificationKeys`, `AUDIT_VERIFY_KEYS`) is kept for
 * verification.
 * @throws AuditKeyError when no active key is configured or a secret is invalid or too short.
 */
export function loadKeyring(options: KeyringOptions = {}): Keyring {
  const into = collect(options);
  if (into.active === undefined) {
    throw new AuditKeyError(
      `no audit signing key configured. Set ${KEY_ENV.signingKey} (≥ ${MIN_SECRET_BYTES} random bytes, hex or base64; ` +
        `e.g. ${KEY_ENV.signingKey}=$(openssl rand -base64 32)), or ${KEY_ENV.keyFile}, or pass { signingKey }, or an Ed25519 sealing key: AUDIT_SEAL_KEY_FILE from audit-cli keygen — ` +
        `or disable signing explicitly: AuditLogger { enableIntegrity: false } or AUDIT_ENABLE_INTEGRITY=false, SigningProcessor { integrity: false }`,
    );
  }
  return new Keyring(into.keys, into.active);
}

/**
 * Loads the HMAC keyring when an active signing key is configured, else `undefined` (a sealing key
 * may sign alone). Invalid keys still throw.
 * @throws AuditKeyError when a secret is invalid or too short.
 */
export function loadOptionalKeyring(options: KeyringOptions = {}): Keyring | undefined {
  const into = collect(options);
  return into.active === undefined ? undefined : new Keyring(into.keys, into.active);
}

/**
 * Loads keys for verification only, from the same sources as {@link loadKeyring}; an active key
 * is not required.
 * @throws AuditKeyError when a secret is invalid, or when no key at all is found (unless `allowEmpty`).
 */
export function loadVerificationKeys(options: KeyringOptions & { readonly allowEmpty?: boolean } = {}): Keyring {
  const into = collect(options);
  if (into.keys.size === 0 && !options.allowEmpty) {
    throw new AuditKeyError(
      `no verification keys configured. Set ${KEY_ENV.verifyKeys}="kid1:secret1,kid2:secret2", ${KEY_ENV.keyFile}, or ${KEY_ENV.signingKey} (+ ${KEY_ENV.signingKeyId})`,
    );
  }
  return new Keyring(into.keys, into.active);
}

/** Builds a keyring from explicit `{kid: secret}` pairs (the first is active). Convenience for tests and tools. */
export function keyringOf(keys: { readonly [kid: string]: SecretInput }, activeKid?: string): Keyring {
  const into: Collected = { keys: new Map(), active: undefined };
  for (const [kid, secret] of Object.entries(keys)) add(into, kid, secret, `key "${kid}"`);
  const active = activeKid ?? [...into.keys.keys()][0];
  if (active !== undefined && !into.keys.has(active))
    throw new AuditKeyError(`active key "${active}" is not among the given keys`);
  return new Keyring(into.keys, active);
}
