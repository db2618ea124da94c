/**
 * Ed25519 sealing with a forward-secure key: the signing processor's public-key mode. It holds
 * only the current epoch's private key. At the end of an epoch (time- or seal-count-based), the
 * closing seal is signed with the current key and names the next key in a certificate signed by
 * the current one; then the key file is replaced with the next key (see seal-key.ts) and the
 * current key is dropped. See docs/integrity.md "Forward security".
 */
import { generateKeyPairSync, sign, createPublicKey, type KeyObject } from 'node:crypto';
import type { LogAttributes } from '@opentelemetry/api-logs';
import { certificateMessage, rawPublicKey, SEAL_KEY_ATTR, type EpochCertificate } from '../../record/seal-epoch.js';
import { writeSealKeyFile, type SealKeyState } from './seal-key.js';

/** Epoch settings of a {@link SealSigner}. */
export interface SealEpochOptions {
  /** Start a new epoch at the first seal after this much time in the current one (ms; 0 = never). */
  readonly epochMs: number;
  /** Start a new epoch after this many seals in the current one (0 = never). */
  readonly epochSeals: number;
  /** Key file to replace with each new epoch's key (none: the state lives in memory only). */
  readonly file?: string;
  /** Called when the key file could not be replaced (the new key is used anyway). */
  readonly onPersistError?: (err: unknown) => void;
  /** Clock (ms). */
  readonly now?: () => number;
}

/** The next epoch, prepared while its closing seal is being signed. */
interface PendingEpoch {
  readonly privateKey: KeyObject;
  readonly cert: EpochCertificate;
}

/** Holds the current epoch's sealing key; signs seals and evolves the key. Not thread-shared. */
export class SealSigner {
  /** Key id of the records (from the root public key). */
  readonly kid: string;
  private readonly root: string;
  private privateKey: KeyObject;
  private publicKey: string;
  private currentEpoch: number;
  private certs: EpochCertificate[];
  private epochStartedAt: number;
  private sealsInEpoch = 0;
  private pending: PendingEpoch | undefined;
  private readonly now: () => number;

  constructor(
    state: SealKeyState,
    private readonly options: SealEpochOptions,
  ) {
    this.kid = state.kid;
    this.root = state.root;
    this.privateKey = state.privateKey;
    this.publicKey = state.publicKey;
    this.currentEpoch = state.epoch;
    this.certs = [...state.certs];
    this.now = options.now ?? Date.now;
    this.epochStartedAt = this.now();
  }

  /** The current epoch (0 = the root key). */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** Whether the next seal should close the current epoch. */
  epochDue(): boolean {
    const { epochMs, epochSeals } = this.options;
    return (
      (epochMs > 0 && this.now() - this.epochStartedAt >= epochMs) ||
      (epochSeals > 0 && this.sealsInEpoch + 1 >= epochSeals)
    );
  }

  /**
   * Sets the seal attributes of a record about to be signed with the current key: its epoch and
   * public key; on the first record of a stream every certificate; on a closing seal the next
   * epoch's certificate (the next key is made now and taken into use by {@link signed}).
   */
  stamp(
    log: { setAttribute(key: string, value: LogAttributes[string]): unknown },
    start: boolean,
    closing: boolean,
  ): void {
    log.setAttribute(SEAL_KEY_ATTR.epoch, this.currentEpoch);
    log.setAttribute(SEAL_KEY_ATTR.key, this.publicKey);
    if (start)
      log.setAttribute(
        SEAL_KEY_ATTR.certs,
        this.certs.map((c) => ({ ...c })),
      );
    if (closing) {
      this.pending ??= this.prepareNext();
      log.setAttribute(SEAL_KEY_ATTR.next, { ...this.pending.cert });
    }
  }

  /** base64url Ed25519 signature of `canonical` under the current epoch's key. */
  sign(canonical: string): string {
    return sign(null, Buffer.from(canonical, 'utf8'), this.privateKey).toString('base64url');
  }

  /**
   * After a seal was signed: counts it and, when it closed the epoch, switches to the next key,
   * replaces the key file and drops the previous key.
   */
  signed(seal: boolean): void {
    if (seal) this.sealsInEpoch++;
    const next = this.pending;
    if (!next) return;
    this.pending = undefined;
    this.privateKey = next.privateKey; // the only reference to the previous key is gone
    this.publicKey = next.cert.key;
    this.currentEpoch = next.cert.epoch;
    this.certs.push(next.cert);
    this.sealsInEpoch = 0;
    this.epochStartedAt = this.now();
    if (this.options.file === undefined) return;
    try {
      writeSealKeyFile(this.options.file, this.state());
    } catch (err) {
      this.options.onPersistError?.(err);
    }
  }

  /** Drops a prepared next epoch whose closing seal was not signed. */
  abandonPending(): void {
    this.pending = undefined;
  }

  /** The state as it would be written to the key file. */
  private state(): SealKeyState {
    return {
      kid: this.kid,
      root: this.root,
      epoch: this.currentEpoch,
      privateKey: this.privateKey,
      publicKey: this.publicKey,
      certs: this.certs,
    };
  }

  private prepareNext(): PendingEpoch {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = rawPublicKey(createPublicKey(privateKey));
    const epoch = this.currentEpoch + 1;
    const sig = sign(null, certificateMessage(this.kid, epoch, key), this.privateKey).toString('base64url');
    return { privateKey, cert: { epoch, key, sig } };
  }

  /** Redacted. */
  toJSON(): { kid: string; epoch: number } {
    return { kid: this.kid, epoch: this.currentEpoch };
  }
}
