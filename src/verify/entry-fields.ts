/**
 * The fields of a record the chain checks beyond its position: seal commitments, the link to the
 * previous stream, and the sealing-key epoch of an Ed25519-signed record.
 */
import type { AuditRecordContent } from '../record/audit-record.js';
import { SEAL_EVENT_NAME, SIGNING_ATTR } from '../record/record-kinds.js';
import { isSealKid, needsSealSignature, sealKeyOf } from '../record/seal-epoch.js';
import type { ChainEntry } from './stream-chain.js';

/** Seal commitments of a seal record. */
export function sealOf(rec: AuditRecordContent): Pick<ChainEntry, 'seal'> {
  if (rec.event !== SEAL_EVENT_NAME) return {};
  const a = rec.attrs;
  const reason = a[SIGNING_ATTR.sealReason];
  return {
    seal: {
      count: a[SIGNING_ATTR.sealCount],
      head: a[SIGNING_ATTR.sealHead],
      reason: typeof reason === 'string' ? reason : '',
    },
  };
}

/** `audit.stream.previous` of a record. */
export function previousOf(rec: AuditRecordContent): Pick<ChainEntry, 'previous'> {
  const p = rec.attrs[SIGNING_ATTR.previousStream];
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return {};
  const { stream, seq, sig } = p as { stream?: unknown; seq?: unknown; sig?: unknown };
  if (typeof stream !== 'string' || typeof seq !== 'number' || typeof sig !== 'string') return {};
  return { previous: { stream, seq, sig } };
}

/** The sealing-key epoch of a seal or stream start of a sealed stream (call for validly signed records only). */
export function epochOf(rec: AuditRecordContent): Pick<ChainEntry, 'epoch'> {
  if (!isSealKid(rec.kid) || !needsSealSignature(rec)) return {};
  const mark = sealKeyOf(rec);
  if (!mark) return {};
  return {
    epoch: {
      kid: rec.kid,
      epoch: mark.epoch,
      key: mark.key,
      ...(mark.next ? { next: { epoch: mark.next.epoch, key: mark.next.key } } : {}),
    },
  };
}
