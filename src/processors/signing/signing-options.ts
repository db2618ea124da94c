/**
 * Options of the signing processor and how they resolve: keys, stream, seal cadence and the
 * Ed25519 sealing key (from the options or `AUDIT_SEAL_KEY_FILE`).
 */
import type { Logger } from '@opentelemetry/api-logs';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import type { StreamHead } from '../../record/stream-head.js';
import type { Keyring, KeyringOptions } from './keys.js';
import { loadSealKeyFile, SEAL_KEY_ENV, type SealKeyState } from './seal-key.js';

/** Options of the signing processor (`SigningProcessor`). Key options ({@link KeyringOptions}) apply when `keyring` is not given. */
export interface SigningProcessorOptions extends KeyringOptions {
  /** Keys to sign with (default: `loadKeyring` over these options and the environment). */
  readonly keyring?: Keyring;
  /**
   * `false` turns signing off: records get the same content, chain positions and body, with
   * `kid` and `sig` empty (verifiers report them as unsigned). Default `true`.
   */
  readonly integrity?: boolean;
  /** Stream id (default: 16 random hex characters per instance). */
  readonly streamId?: string;
  /** Head of the stream written before this one (e.g. the journal's last record), linked from the first record. */
  readonly previous?: StreamHead;
  /** Write a periodic seal this often when records arrived since the last seal (ms; default 60000; 0 = never). */
  readonly sealIntervalMs?: number;
  /** Write a seal after this many records since the last seal (default 10000; 0 = never). */
  readonly sealEveryRecords?: number;
  /** Where failures are counted (default: the process-wide diagnostics). */
  readonly diagnostics?: AuditDiagnostics;
  /** Logger that seals are emitted with; it must belong to the provider this processor is in (default: the global `orchestrator-audit` logger). */
  readonly logger?: Logger;
  /** Called after each seal is signed, with its reason (e.g. to count `orchestrator.audit.seals`). */
  readonly onSeal?: (reason: string) => void;
  /**
   * Ed25519 sealing key file (`audit-cli keygen`; default `AUDIT_SEAL_KEY_FILE`). With it, records
   * are hash-chained and seals and stream starts are signed with a forward-secure Ed25519 key, so
   * the public key alone verifies them; the file is replaced with each new epoch's key. An HMAC
   * key is then optional.
   */
  readonly sealKeyFile?: string;
  /** A sealing state already loaded (`loadSealKeyFile`); with `sealKeyFile`, that file is where new epochs are kept. */
  readonly sealKey?: SealKeyState;
  /** Start a new sealing-key epoch at the first seal after this much time in the current one (ms; default 3600000; 0 = never). */
  readonly sealEpochMs?: number;
  /** Start a new sealing-key epoch after this many seals in the current one (default 0 = off). */
  readonly sealEpochSeals?: number;
}

/** Seal cadence and epoch defaults. */
export const DEFAULT_SEAL_INTERVAL_MS = 60_000;
export const DEFAULT_SEAL_EVERY_RECORDS = 10_000;
export const DEFAULT_SEAL_EPOCH_MS = 3_600_000;

/** The sealing state of the options or of `AUDIT_SEAL_KEY_FILE`, and the file new epochs are kept in. */
export function sealStateOf(
  options: SigningProcessorOptions,
): { state: SealKeyState; file: string | undefined } | undefined {
  const env = options.env ?? process.env;
  const fromEnv = env[SEAL_KEY_ENV];
  const file = options.sealKeyFile ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  if (options.sealKey) return { state: options.sealKey, file: options.sealKeyFile };
  return file === undefined ? undefined : { state: loadSealKeyFile(file), file };
}

/** A seal setting: `undefined` → the default, 0 → off; a negative or non-finite value is a configuration error. */
export function sealSetting(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`SigningProcessor option ${name} must be a finite number ≥ 0 (0 = off), got ${String(value)}`);
  }
  return Math.floor(value);
}
