/**
 * A journal line as the OTel log record the in-process OTLP sink would have exported for it: the
 * body is the signed canonical record (the bytes the signature covers), the attributes are the
 * record's own attributes plus `audit.sig`, `audit.stream`, `audit.seq` and `audit.kid`, and time,
 * severity, event name and trace context come from the record. Everything is derived from the
 * line alone, so a record shipped twice (at-least-once delivery after a restart) is sent as the
 * same bytes both times and a backend can drop the copy.
 */
import { TraceFlags, type HrTime } from '@opentelemetry/api';
import type { LogAttributes, SeverityNumber } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR } from '../../events/semconv.js';
import { isSignedRecord, type SignedAuditRecord } from '../../record/audit-record.js';

/** Start of every journal line; the canonical record follows it. */
const LINE_HEAD = '{"rec":';
/** What separates the canonical record from the signature in a journal line. */
const SIG_MARK = ',"sig":';

/** A journal line turned into a log record, with what the shipper tracks about it. */
export interface ShippableRecord {
  readonly log: ReadableLogRecord;
  readonly stream: string;
  readonly seq: number;
  readonly ts: string;
}

/**
 * Builds the log record for one journal line; `undefined` when the line is not a signed record
 * (a line torn by a crash, an edited line), which the shipper counts instead of sending.
 */
export function shippableRecordOf(
  line: string,
  resource: Resource,
  scope: InstrumentationScope,
): ShippableRecord | undefined {
  if (!line.startsWith(LINE_HEAD)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isSignedRecord(parsed)) return undefined;
  const cut = line.lastIndexOf(SIG_MARK);
  if (cut < LINE_HEAD.length) return undefined;
  const canonical = line.slice(LINE_HEAD.length, cut);
  const { rec, sig } = parsed as SignedAuditRecord;
  const hrTime = hrTimeOf(rec.ts, rec.tsNanos);
  if (hrTime === undefined) return undefined;
  const attributes: LogAttributes = { ...(rec.attrs as LogAttributes) };
  attributes[ATTR.sig] = sig;
  attributes[ATTR.stream] = rec.stream;
  attributes[ATTR.seq] = rec.seq;
  attributes[ATTR.kid] = rec.kid;
  const log: ReadableLogRecord = {
    hrTime,
    hrTimeObserved: hrTime,
    ...(typeof rec.trace === 'string' && typeof rec.span === 'string'
      ? { spanContext: { traceId: rec.trace, spanId: rec.span, traceFlags: TraceFlags.NONE } }
      : {}),
    ...(rec.sev !== null ? { severityText: rec.sev } : {}),
    ...(rec.sevNum !== null ? { severityNumber: rec.sevNum as SeverityNumber } : {}),
    body: canonical,
    ...(rec.event !== null ? { eventName: rec.event } : {}),
    resource,
    instrumentationScope: scope,
    attributes,
    droppedAttributesCount: 0,
  };
  return { log, stream: rec.stream, seq: rec.seq, ts: rec.ts };
}

/** `[seconds, nanoseconds]` of an ISO time with millisecond precision plus the nanoseconds within the millisecond. */
function hrTimeOf(ts: string, tsNanos: number): HrTime | undefined {
  const ms = Date.parse(ts);
  if (!Number.isFinite(ms)) return undefined;
  const secs = Math.floor(ms / 1000);
  const nanos =
    (ms - secs * 1000) * 1_000_000 +
    (Number.isSafeInteger(tsNanos) && tsNanos >= 0 && tsNanos < 1_000_000 ? tsNanos : 0);
  return [secs, nanos];
}
