/**
 * The event shape that leaves the process through webhooks and alerts: the same {@link AuditEvent}
 * the query API returns, plus the signed canonical record and its signature so a receiver holding
 * the verification key can check it (`HMAC-SHA256(key[kid], canonical) === sig`, base64url).
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { recordContentOf, UNSIGNED_SLOT } from '../../record/record-content.js';
import { isSignedRecord, type AuditRecordContent } from '../../record/audit-record.js';
import { signedPartsOf } from '../../record/signed-log.js';
import { auditEventFromRecord, type AuditEvent } from '../../record/audit-event.js';

/** An audit event as streamed to webhook receivers. */
export interface StreamedAuditEvent extends AuditEvent {
  /** Canonical content exactly as signed (absent when the record did not pass a signer). */
  readonly canonical?: string;
  /** base64url HMAC-SHA256 of `canonical` under key `attrs`/`rec.kid` (absent when unsigned). */
  readonly sig?: string;
}

/** Builds the streamed form of an emitted log record. Never throws for well-formed SDK records. */
export function streamedEventOf(log: ReadableLogRecord): StreamedAuditEvent {
  const parts = signedPartsOf(log);
  if (parts) {
    const rec = parseContent(parts.canonical);
    if (rec) return { ...auditEventFromRecord(rec), canonical: parts.canonical, sig: parts.sig };
  }
  return unsignedEventOf(log);
}

function parseContent(canonical: string): AuditRecordContent | undefined {
  try {
    const rec: unknown = JSON.parse(canonical);
    // isSignedRecord checks the structure of a {rec, sig} pair; reuse it with a placeholder sig.
    return isSignedRecord({ rec, sig: '' }) ? (rec as AuditRecordContent) : undefined;
  } catch {
    return undefined;
  }
}

/** The event of a record that did not pass a signer: the same event the journal query returns for its unsigned line. */
function unsignedEventOf(log: ReadableLogRecord): StreamedAuditEvent {
  return auditEventFromRecord(recordContentOf(log, UNSIGNED_SLOT, { fixed: 0, digitKeys: false }));
}
