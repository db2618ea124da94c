/**
 * The event shape that leaves the process through webhooks and alerts: the same {@link AuditEvent}
 * the query API returns, plus the signed canonical record and its signature so a receiver holding
 * the verification key can check it (`HMAC-SHA256(key[kid], canonical) === sig`, base64url).
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR } from '../../events/semconv.js';
import { isSignedRecord, type AuditRecordContent } from '../../record/audit-record.js';
import type { CanonicalValue } from '../../record/canonical.js';
import { signedPartsOf } from '../../record/signed-log.js';
import { auditEventFromRecord, eventTypeOf } from '../../query/journal/audit-event.js';
import type { AuditEvent } from '../../query/types.js';

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

function unsignedEventOf(log: ReadableLogRecord): StreamedAuditEvent {
  const attrs = toCanonicalAttrs(log.attributes);
  const [sec, nanos] = log.hrTime;
  const ms = sec * 1000 + Math.floor(nanos / 1e6);
  const leadId = attrs[ATTR.leadId];
  const workflow = attrs[ATTR.workflow];
  const body = log.body;
  return {
    ts: new Date(ms).toISOString(),
    tsNanos: nanos % 1e6,
    type: eventTypeOf({ event: log.eventName ?? null, attrs }),
    event: log.eventName ?? null,
    severity: log.severityText ?? null,
    ...(typeof leadId === 'string' ? { leadId } : {}),
    ...(typeof workflow === 'string' ? { workflow } : {}),
    message: typeof body === 'string' ? body : body === undefined ? '' : safeJson(body),
    attrs,
    stream: '',
    seq: 0,
    ...(log.spanContext ? { trace: log.spanContext.traceId, span: log.spanContext.spanId } : {}),
  };
}

function toCanonicalAttrs(attributes: ReadableLogRecord['attributes']): { [key: string]: CanonicalValue } {
  try {
    const parsed: unknown = JSON.parse(safeJson(attributes));
    return typeof parsed === 'object' && parsed !== null ? (parsed as { [key: string]: CanonicalValue }) : {};
  } catch {
    return {};
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
  } catch {
    return '"[unserializable]"';
  }
}
