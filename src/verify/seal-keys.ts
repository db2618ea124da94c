/**
 * Verification with the public key alone: the root Ed25519 public key (`audit-seal.pub`) and the
 * epoch certificates found in the records. Ordinary records of a sealed stream verify by their
 * hash, seals and stream starts by an Ed25519 signature under a certified epoch key. No secret is
 * involved: whoever holds this can check a trail but cannot sign one. See docs/integrity.md.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { AuditRecordContent } from '../record/audit-record.js';
import {
  certificateMessage,
  ed25519Valid,
  needsSealSignature,
  publicKeyOfRaw,
  rawPublicKey,
  recordHash,
  sealKeyOf,
  sealKidOf,
  type EpochCertificate,
} from '../record/seal-epoch.js';
import { AuditKeyError, type SignatureCheck } from '../processors/signing/keys.js';
import type { RecordKeys } from './record-keys.js';

/** A certified sealing key. */
interface EpochKey {
  readonly epoch: number;
  readonly key: KeyObject;
}

/** The root public key and the epoch keys certified from it. */
export class SealPublicKeys implements RecordKeys {
  /** Key id of the records sealed under this root. */
  readonly kid: string;
  /** Root public key, base64url raw bytes. */
  readonly root: string;
  private readonly keys = new Map<string, EpochKey>();
  private readonly byEpoch = new Map<number, string[]>();

  constructor(rootPublicKey: KeyObject) {
    this.root = rawPublicKey(rootPublicKey);
    this.kid = sealKidOf(this.root);
    this.add(0, this.root, rootPublicKey);
  }

  /** Whether `kid` is this root's key id. */
  has(kid: string): boolean {
    return kid === this.kid;
  }

  /** Number of epoch keys certified so far (the root included). */
  get certified(): number {
    return this.keys.size;
  }

  /**
   * Checks a record: the hash of an ordinary record; the Ed25519 signature of a seal or stream
   * start under the certified key of the epoch it names (`unknown-key` when that key is not
   * certified). Certificates a record carries are taken in first: they verify on their own.
   */
  verify(kid: string, canonical: string, sig: string, rec?: AuditRecordContent): SignatureCheck {
    if (kid !== this.kid) return 'unknown-key';
    if (!rec) return 'invalid';
    if (!needsSealSignature(rec)) return recordHash(canonical) === sig ? 'valid' : 'invalid';
    const mark = sealKeyOf(rec);
    if (!mark) return 'invalid';
    if (mark.certs) this.learn(mark.certs);
    const known = this.keys.get(mark.key);
    if (!known || known.epoch !== mark.epoch) return 'unknown-key';
    if (!ed25519Valid(known.key, canonical, sig)) return 'invalid';
    if (mark.next) this.learn([mark.next]);
    return 'valid';
  }

  /** Takes in every certificate that verifies under a key already certified for the epoch before it. */
  learn(certs: readonly EpochCertificate[]): void {
    for (const cert of [...certs].sort((a, b) => a.epoch - b.epoch)) {
      if (this.keys.has(cert.key)) continue;
      const signers = this.byEpoch.get(cert.epoch - 1) ?? [];
      const message = certificateMessage(this.kid, cert.epoch, cert.key);
      const ok = signers.some((raw) => {
        const signer = this.keys.get(raw);
        return signer !== undefined && ed25519Valid(signer.key, message, cert.sig);
      });
      const key = ok ? publicKeyOfRaw(cert.key) : undefined;
      if (key) this.add(cert.epoch, cert.key, key);
    }
  }

  private add(epoch: number, raw: string, key: KeyObject): void {
    this.keys.set(raw, { epoch, key });
    const list = this.byEpoch.get(epoch) ?? [];
    list.push(raw);
    this.byEpoch.set(epoch, list);
  }

  /** Short form for logs. */
  [inspect.custom](): string {
    return `SealPublicKeys { kid: ${JSON.stringify(this.kid)}, certified: ${this.certified} }`;
  }
}

/**
 * Reads a root public key file (`audit-seal.pub`, SPKI PEM, as `audit-cli keygen` writes it).
 * @throws AuditKeyError when it cannot be read or is not an Ed25519 public key.
 */
export function loadSealPublicKey(file: string): SealPublicKeys {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AuditKeyError(
      `public key file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  if (text.includes('PRIVATE KEY'))
    throw new AuditKeyError(
      `${file} is a private key; verify with the public key (audit-seal.pub), keep the private one on the logger`,
    );
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new AuditKeyError(
      `public key file ${file} holds no PEM public key (expected audit-seal.pub from audit-cli keygen)`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new AuditKeyError(
      `public key file ${file} holds a ${key.asymmetricKeyType ?? 'non-Ed25519'} key; an Ed25519 key is required`,
    );
  return new SealPublicKeys(key);
}
