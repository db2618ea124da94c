/**
 * How the audit worker emits a ring snapshot into its pipeline: as a lean record handed to the
 * processors of the worker's SDK logger (src/logger/lean-chain.ts) instead of through the SDK
 * logger itself. A snapshot's values were made clean on the app thread and are parsed from JSON
 * here, owned by the one record, so the SDK record's check and deep copy of every value would be
 * spent on every record for nothing. {@link leanEmitterOf} gives `undefined` when the logger must
 * be used itself (see `leanChainOf`), and the emitter declines a snapshot whose attributes the SDK
 * would not store as parsed; both then go through the SDK logger.
 */
import { context, isSpanContextValid, ROOT_CONTEXT, trace, type HrTime, type SpanContext } from '@opentelemetry/api';
import type { LogAttributes, Logger, LogRecord, SeverityNumber } from '@opentelemetry/api-logs';
import { timeInputToHrTime } from '@opentelemetry/core';
import { leanChainOf } from '../logger/lean-chain.js';
import type { RecordSnapshot } from './protocol.js';

/**
 * The number of attributes of a snapshot (`attributes`, parsed from `text`, the app thread's
 * `JSON.stringify` output) when the SDK's record would store them exactly as parsed, else -1.
 * They are stored as parsed when they are a plain map of at most `countLimit` keys, none of them
 * empty, and no map anywhere holds a `__proto__` key (the SDK's copy would turn it into a
 * prototype) or a `constructor` key (the SDK's check would reject the attribute holding that map).
 */
export function snapshotAttributeCount(attributes: unknown, text: string, countLimit: number): number {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return -1;
  // (`JSON.stringify` writes these names as they are; searched without the quotes, which is faster,
  // a snapshot holding them in a value goes through the SDK logger too)
  if (text.indexOf('__proto__') !== -1 || text.indexOf('constructor') !== -1) return -1;
  let count = 0;
  for (const key in attributes) {
    if (key === '') return -1;
    count++;
  }
  return count <= countLimit ? count : -1;
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
  const countLimit = chain.countLimit;
  return {
    emit(snapshot, text) {
      const [ts, eventName, severityNumber, severityText, body, attributes, tr] = snapshot;
      const count = snapshotAttributeCount(attributes, text, countLimit);
      if (count < 0) return false;
      const sc = spanContextOf(tr);
      const ctx = sc ? trace.setSpanContext(ROOT_CONTEXT, sc) : context.active();
      const spanContext = sc && isSpanContextValid(sc) ? sc : undefined;
      const now = Date.now();
      chain.emit(
        {
          hrTime: timeInputToHrTime((ts ?? now) as number | HrTime),
          hrTimeObserved: timeInputToHrTime(now),
          spanContext,
          eventName,
          severityNumber: severityNumber as SeverityNumber | undefined,
          severityText,
          body,
        },
        attributes as LogAttributes,
        count,
        ctx,
      );
      return true;
    },
  };
}
