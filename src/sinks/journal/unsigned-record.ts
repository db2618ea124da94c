/**
 * The journal line of a record that did not pass a signer (a pipeline without the signing
 * processor, e.g. `enableIntegrity: false`). It has the shape of a signed record so that readers
 * and queries handle it like any other, with empty `stream`, `kid`, `prev` and `sig` and `seq` 0:
 * verifiers report it as unsigned, never as valid.
 */
import type { AnyValue } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { RECORD_FORMAT_VERSION, encodeJournalLine, type AuditRecordContent } from '../../record/audit-record.js';
import type { CanonicalValue } from '../../record/canonical.js';

/** Encodes an unsigned log record as a journal line (without newline). Throws on values JSON cannot carry. */
export function unsignedJournalLine(log: ReadableLogRecord): string {
  return encodeJournalLine({ rec: recordContentOf(log, { stream: '', seq: 0, prev: '', kid: '' }), sig: '' });
}

/** Chain position of a record: its stream, sequence number, previous signature and key id. */
interface ChainPosition {
  readonly stream: string;
  readonly seq: number;
  readonly prev: string;
  readonly kid: string;
}

/** Record content of an OTel log record at a chain position (attribute values made JSON-safe). */
function recordContentOf(log: ReadableLogRecord, position: ChainPosition): AuditRecordContent {
  const [secs, nanos] = log.hrTime;
  const ms = secs * 1000 + Math.floor(nanos / 1e6);
  const attrs: { [key: string]: CanonicalValue } = {};
  for (const [key, value] of Object.entries(log.attributes)) {
    const v = toCanonical(value);
    if (v !== undefined) attrs[key] = v;
  }
  return {
    v: RECORD_FORMAT_VERSION,
    stream: position.stream,
    seq: position.seq,
    prev: position.prev,
    kid: position.kid,
    ts: new Date(ms).toISOString(),
    tsNanos: nanos % 1e6,
    event: log.eventName ?? null,
    sev: log.severityText ?? null,
    sevNum: log.severityNumber ?? null,
    ...(log.spanContext ? { trace: log.spanContext.traceId, span: log.spanContext.spanId } : {}),
    body: toCanonical(log.body) ?? null,
    attrs,
  };
}

function toCanonical(value: AnyValue | undefined): CanonicalValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => toCanonical(item as AnyValue) ?? null);
  const out: { [key: string]: CanonicalValue } = {};
  for (const [key, item] of Object.entries(value as { [key: string]: AnyValue })) {
    const v = toCanonical(item);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
