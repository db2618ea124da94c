/**
 * `verifyRecords(records, keys)`: verification of records already in memory — signed records,
 * `{canonical, sig}` pairs, or OTel log records (e.g. from an `InMemoryLogRecordExporter`).
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { keyringOf, Keyring, type SecretInput } from '../processors/signing/keys.js';
import type { SignedAuditRecord } from '../record/audit-record.js';
import { signedPartsOf, type SignedParts } from '../record/signed-log.js';
import { ChainVerifier, type ChainVerifierOptions } from './chain-verifier.js';
import type { VerificationReport } from './report.js';
import type { RecordKeys } from './record-keys.js';

/** Anything {@link verifyRecords} accepts as one record. */
export type VerifiableRecord = SignedAuditRecord | SignedParts | ReadableLogRecord;

/**
 * Keys as a {@link Keyring}, as `{kid: secret}` pairs (hex/base64 text or bytes), or any
 * {@link RecordKeys} (the public sealing keys of `loadSealPublicKey`, or `combineKeys(...)`).
 */
export type VerificationKeys = Keyring | RecordKeys | { readonly [kid: string]: SecretInput };

/**
 * Verifies records in the order given (that order is the arrival order used for `reordered`).
 * Locations are `memory#<index>`. Per-record verdicts are included unless `perRecord: false`.
 * @throws AuditKeyError when `keys` holds an invalid secret.
 */
export function verifyRecords(
  records: Iterable<VerifiableRecord>,
  keys: VerificationKeys,
  options: ChainVerifierOptions = {},
): VerificationReport {
  const keyring = keys instanceof Keyring || isRecordKeys(keys) ? keys : keyringOf(keys);
  const verifier = new ChainVerifier(keyring, { perRecord: true, ...options });
  let index = 0;
  for (const item of records) {
    const location = `memory#${index++}`;
    if (isSignedAuditRecord(item)) verifier.push({ record: item, sig: item.sig, location });
    else if (isSignedParts(item)) verifier.push({ canonical: item.canonical, sig: item.sig, location });
    else if (isLogRecord(item)) {
      const parts = signedPartsOf(item);
      if (parts) verifier.push({ canonical: parts.canonical, sig: parts.sig, location });
      else verifier.pushUnsigned(location);
    } else verifier.pushMalformed(location, 'not a signed record, {canonical, sig} pair or OTel log record');
  }
  return verifier.finish();
}

function isRecordKeys(keys: VerificationKeys): keys is RecordKeys {
  const k = keys as { has?: unknown; verify?: unknown };
  return typeof k.has === 'function' && typeof k.verify === 'function';
}

function isSignedAuditRecord(item: unknown): item is SignedAuditRecord {
  return (
    typeof item === 'object' && item !== null && 'rec' in item && typeof (item as { sig?: unknown }).sig === 'string'
  );
}

function isSignedParts(item: unknown): item is SignedParts {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as { canonical?: unknown }).canonical === 'string' &&
    typeof (item as { sig?: unknown }).sig === 'string'
  );
}

function isLogRecord(item: unknown): item is ReadableLogRecord {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as { attributes?: unknown }).attributes === 'object' &&
    Array.isArray((item as { hrTime?: unknown }).hrTime)
  );
}
