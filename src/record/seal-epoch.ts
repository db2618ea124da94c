/**
 * The public-key form of the chain (Ed25519 seals): how records are bound without a shared secret,
 * which records carry an Ed25519 signature, and the epoch certificates by which each sealing key
 * vouches for the next one. The signer (src/processors/signing) writes these and every verifier
 * (src/verify) reads them from here. See docs/integrity.md "Public-key seals".
 *
 * - Every record of a sealed stream is signed with the stream's seal key id (`kid` = {@link sealKidOf}
 *   the root public key). Ordinary records carry `sig` = base64url SHA-256 of their canonical
 *   content: since the content holds `prev` (the `sig` of the record before), the stream is a hash
 *   chain that anyone can recompute.
 * - Seals and the first record of a stream (which carries the link to the previous stream) carry
 *   `sig` = base64url Ed25519 signature of their canonical content under the key of the current
 *   epoch, named in their attributes ({@link SEAL_KEY_ATTR}). A signature over the chain head binds
 *   every record before it.
 * - Keys evolve per epoch: the closing seal of epoch k, signed by key k, names epoch k+1's public
 *   key ({@link SEAL_KEY_ATTR.next}, an {@link EpochCertificate} signed by key k). Epoch 0 is the
 *   root key (`audit-seal.pub`). The first record of a stream carries every certificate from the
 *   root to its epoch, so each stream can be checked from the root public key alone.
 */
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { AuditRecordContent } from './audit-record.js';
import type { CanonicalValue } from './canonical.js';
import { SEAL_EVENT_NAME } from './record-kinds.js';

/** Attributes of Ed25519-signed records (signed content, set by the signer). */
export const SEAL_KEY_ATTR = {
  /** Epoch of the key that signed this record (0 = the root key). */
  epoch: 'audit.seal.epoch',
  /** That key's public key: base64url of its 32 raw bytes. */
  key: 'audit.seal.key',
  /** On the first record of a stream: the certificates of epochs 1..epoch (array of {@link EpochCertificate}). */
  certs: 'audit.seal.certs',
  /** On an epoch's closing seal: the certificate of the next epoch's key, signed by this epoch's key. */
  next: 'audit.seal.next',
} as const;

/** Prefix of the key id of records sealed under a root key. */
export const SEAL_KID_PREFIX = 'seal-';

/** A statement, signed by the key of epoch `epoch − 1`, that `key` is the key of epoch `epoch`. */
export interface EpochCertificate {
  /** Epoch the key belongs to (≥ 1). */
  readonly epoch: number;
  /** Public key, base64url of the 32 raw Ed25519 bytes. */
  readonly key: string;
  /** base64url Ed25519 signature of {@link certificateMessage} under the previous epoch's key. */
  readonly sig: string;
}

/** The Ed25519 seal attributes of a record, when it carries them. */
export interface RecordSealKey {
  readonly epoch: number;
  readonly key: string;
  readonly certs?: readonly EpochCertificate[];
  readonly next?: EpochCertificate;
}

/** Key id of records sealed under the root public key `root` (base64url raw bytes): `seal-` and 12 hex digits. */
export function sealKidOf(root: string): string {
  return (
    SEAL_KID_PREFIX + createHash('sha256').update('orchestrator-audit-seal\0').update(root).digest('hex').slice(0, 12)
  );
}

/** Whether `kid` names a seal (public-key) chain rather than an HMAC key. */
export function isSealKid(kid: string): boolean {
  return kid.startsWith(SEAL_KID_PREFIX);
}

/** Whether a record of a sealed stream carries an Ed25519 signature (seals and the first record of a stream). */
export function needsSealSignature(rec: Pick<AuditRecordContent, 'seq' | 'event'>): boolean {
  return rec.seq === 1 || rec.event === SEAL_EVENT_NAME;
}

/** `sig` of an ordinary record of a sealed stream: base64url SHA-256 of its canonical content. */
export function recordHash(canonical: string): string {
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The bytes an epoch certificate signs. */
export function certificateMessage(kid: string, epoch: number, key: string): Buffer {
  return Buffer.from(`orchestrator-audit seal epoch\n${kid}\n${epoch}\n${key}`, 'utf8');
}

/** base64url of the 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new TypeError('not an Ed25519 key');
  return jwk.x;
}

/** The public key object of base64url raw Ed25519 bytes; `undefined` when they are not one. */
export function publicKeyOfRaw(raw: string): KeyObject | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(raw)) return undefined;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** Checks an Ed25519 signature (base64url) over `data`; never throws. */
export function ed25519Valid(key: KeyObject, data: Buffer | string, sig: string): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(sig)) return false;
  try {
    return verifySignature(
      null,
      typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
      key,
      Buffer.from(sig, 'base64url'),
    );
  } catch {
    return false;
  }
}

/** Reads the seal attributes of a record, or `undefined` when absent or malformed. */
export function sealKeyOf(rec: AuditRecordContent): RecordSealKey | undefined {
  const a = rec.attrs;
  const epoch = a[SEAL_KEY_ATTR.epoch];
  const key = a[SEAL_KEY_ATTR.key];
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0 || typeof key !== 'string')
    return undefined;
  const certsValue = a[SEAL_KEY_ATTR.certs];
  const certs = Array.isArray(certsValue) ? certsValue.map(certificateOf) : undefined;
  const next = certificateOf(a[SEAL_KEY_ATTR.next]);
  return {
    epoch,
    key,
    ...(certs ? { certs: certs.filter((c): c is EpochCertificate => c !== undefined) } : {}),
    ...(next ? { next } : {}),
  };
}

/** An {@link EpochCertificate} from a parsed value, or `undefined`. */
export function certificateOf(value: CanonicalValue | undefined): EpochCertificate | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { epoch, key, sig } = value as { epoch?: unknown; key?: unknown; sig?: unknown };
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 1) return undefined;
  if (typeof key !== 'string' || typeof sig !== 'string') return undefined;
  return { epoch, key, sig };
}
