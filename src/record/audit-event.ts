/**
 * The {@link AuditEvent}: a signed record's content as every query source returns it and as
 * webhooks stream it. Shared by the journal and Loki sources and the webhook sink so all of them
 * read records the same way.
 */
import { ATTR, CUSTOM_EVENT_PREFIX, EVENT_NAMES } from '../events/semconv.js';
import type { AuditRecordContent } from './audit-record.js';
import { SEAL_EVENT_NAME } from './record-kinds.js';
import { canonicalize, type CanonicalValue } from './canonical.js';

/** One audit event as read back from a store, decoded from its signed record. */
export interface AuditEvent {
  /** ISO-8601 UTC time with milliseconds. */
  readonly ts: string;
  /** Nanoseconds within the millisecond of `ts`. */
  readonly tsNanos: number;
  /** Seed event type (`lead_ingested`, `error`, `performance`, custom, or `seal`). */
  readonly type: string;
  /** OTel event name, e.g. `orchestrator.lead.ingested`. */
  readonly event: string | null;
  /** Severity text (`INFO`, `ERROR`, …). */
  readonly severity: string | null;
  /** Lead id, when the event has one. */
  readonly leadId?: string;
  /** Workflow name, when the event has one. */
  readonly workflow?: string;
  /** Human-readable message (the record's pre-signing body). */
  readonly message: string;
  /** All attributes of the record, as signed. */
  readonly attrs: { readonly [key: string]: CanonicalValue };
  /** Stream id and sequence number of the record. */
  readonly stream: string;
  readonly seq: number;
  /** Trace and span ids, when the record was emitted inside a span. */
  readonly trace?: string;
  readonly span?: string;
  /** Where it was read from (e.g. `logs/audit.log:42`, `loki`), for findings and exports. */
  readonly location?: string;
}

/** Seed event type of seal records. */
export const SEAL_EVENT_TYPE = 'seal';

const TYPE_BY_EVENT_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(EVENT_NAMES).map(([type, name]) => [name, type] as const),
);

/** Seed event type of a record: its `orchestrator.event.type` attribute, else derived from the event name. */
export function eventTypeOf(rec: Pick<AuditRecordContent, 'event' | 'attrs'>): string {
  const attr = rec.attrs[ATTR.eventType];
  if (typeof attr === 'string' && attr !== '') return attr;
  if (rec.event === SEAL_EVENT_NAME) return SEAL_EVENT_TYPE;
  if (rec.event === null) return 'unknown';
  const seed = TYPE_BY_EVENT_NAME.get(rec.event);
  if (seed) return seed;
  return rec.event.startsWith(CUSTOM_EVENT_PREFIX) ? rec.event.slice(CUSTOM_EVENT_PREFIX.length) : rec.event;
}

/** Converts record content (as signed) to an {@link AuditEvent}; `location` says where it was read. */
export function auditEventFromRecord(rec: AuditRecordContent, location?: string): AuditEvent {
  const leadId = rec.attrs[ATTR.leadId];
  const workflow = rec.attrs[ATTR.workflow];
  return {
    ts: rec.ts,
    tsNanos: rec.tsNanos,
    type: eventTypeOf(rec),
    event: rec.event,
    severity: rec.sev,
    ...(typeof leadId === 'string' ? { leadId } : {}),
    ...(typeof workflow === 'string' ? { workflow } : {}),
    message: typeof rec.body === 'string' ? rec.body : canonicalize(rec.body),
    attrs: rec.attrs,
    stream: rec.stream,
    seq: rec.seq,
    ...(rec.trace !== undefined ? { trace: rec.trace } : {}),
    ...(rec.span !== undefined ? { span: rec.span } : {}),
    ...(location !== undefined ? { location } : {}),
  };
}

/** True when the event is a seal record. */
export function isSealEvent(event: Pick<AuditEvent, 'event' | 'type'>): boolean {
  return event.event === SEAL_EVENT_NAME || event.type === SEAL_EVENT_TYPE;
}
