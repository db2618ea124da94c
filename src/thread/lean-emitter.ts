/**
 * How the audit worker emits a ring snapshot into its pipeline: as a lean record handed to the
 * processors of the worker's SDK logger (src/logger/lean-chain.ts) instead of through the SDK
 * logger itself. A snapshot's values were made clean on the app thread and are parsed from JSON
 * here, owned by the one record, so the SDK record's check and deep copy of every value would be
 * spent on every record for nothing. {@link leanEmitterOf} gives `undefined` when the logger must
 * be used itself (see `leanChainOf`), and the emitter declines a snapshot whose attributes the SDK
 * would not store as parsed; both then go through the SDK logger.
 */
import { context, ROOT_CONTEXT, trace, type HrTime, type SpanContext } from '@opentelemetry/api';
import type { Logger, LogRecord } from '@opentelemetry/api-logs';
import { leanChainOf } from '../logger/lean-chain.js';
import type { RecordSnapshot } from './protocol.js';

/**
 * Whether a snapshot's attributes (`attributes`, parsed from `text`, the app thread's
 * `JSON.stringify` output) are a plain map that the SDK's record would store as parsed: no map
 * anywhere holds a `__proto__` key (the SDK's copy would turn it into a prototype) or a
 * `constructor` key (the SDK's check would reject the attribute holding that map). Empty keys and
 * the count limit are the lean chain's own checks.
 */
export function snapshotAttributesStorable(attributes: unknown, text: string): boolean {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return false;
  // (`JSON.stringify` writes these names as they are; searched without the quotes, which is faster,
  // a snapshot holding them in a value goes through the SDK logger too)
  return text.indexOf('__proto__') === -1 && text.indexOf('constructor') === -1;
}

/** The span context a snapshot carries (`0`: none). */
function spanContextOf(tr: RecordSnapshot[6]): SpanContext | undefined {
  return tr === 0 ? undefined : { traceId: tr[0], spanId: tr[1], traceFlags: tr[2] };
}

/** A ring snapshot as the SDK logger takes it (the trace as the record's context). */
export function logRecordOf(snapshot: RecordSnapshot): LogRecord {
  const [ts, eventName, severityNumber, severityText, body, attributes, tr] = snapshot;
  const record: LogRecord = {
    timestamp: ts as number | HrTime,
    eventName,
    severityNumber,
    severityText,
    body,
    attributes,
  };
  const sc = spanContextOf(tr);
  if (sc) record.context = trace.setSpanContext(ROOT_CONTEXT, sc);
  return record;
}

/** Emits ring snapshots as lean records (see the module doc). */
export interface LeanEmitter {
  /**
   * Emits `snapshot` (parsed from `text`); returns false, having emitted nothing, when its
   * attributes must go through the SDK logger instead. Throws what a processor throws.
   */
  emit(snapshot: RecordSnapshot, text: string): boolean;
}

/** The lean emitter of the SDK logger `logger`, or `undefined` when records must go through `logger` itself. */
export function leanEmitterOf(logger: Logger): LeanEmitter | undefined {
  const chain = leanChainOf(logger);
  if (chain === undefined) return undefined;
  return {
    emit(snapshot, text) {
      const [timestamp, eventName, severityNumber, severityText, body, attributes, tr] = snapshot;
      if (!snapshotAttributesStorable(attributes, text)) return false;
      const sc = spanContextOf(tr);
      return chain.emitOwned(
        { timestamp, eventName, severityNumber, severityText, body, attributes },
        sc ? trace.setSpanContext(ROOT_CONTEXT, sc) : context.active(),
      );
    },
  };
}
