/**
 * How the audit worker emits a ring snapshot into its pipeline: as a {@link LeanLogRecord} handed
 * to the same processors (PII → signing → sinks, in that order, with the provider's resource,
 * scope and attribute count limit, and nothing once the provider shut down) as the SDK logger
 * would hand its own record to. The SDK logger's record checks and deep-copies every attribute
 * value when created; a snapshot's values were made clean on the app thread and parsed from JSON
 * here, so that work would be spent on every record for nothing.
 *
 * The processors, resource, scope and limits are read from the SDK logger of the worker's
 * provider, so both kinds of records travel one chain and group as one scope in OTLP exports. When
 * that logger is not shaped as expected, or is configured to filter records (a logger
 * configurator, a processor with `enabled()`, a value length limit), {@link leanEmitterOf} gives
 * `undefined` and the worker emits through the SDK logger; so does the emitter for a snapshot
 * whose attributes the SDK would not store as parsed.
 */
import { context, isSpanContextValid, ROOT_CONTEXT, trace, type HrTime, type SpanContext } from '@opentelemetry/api';
import type { LogAttributes, Logger, LogRecord, SeverityNumber } from '@opentelemetry/api-logs';
import { timeInputToHrTime, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { RecordSnapshot } from './protocol.js';
import { LeanLogRecord, snapshotAttributeCount } from './lean-record.js';

/** What the SDK logger (sdk-logs `Logger`) holds that the emitter uses. */
interface SdkLoggerState {
  readonly _instrumentationScope: InstrumentationScope;
  readonly _loggerConfig: {
    readonly disabled: boolean;
    readonly minimumSeverity: number;
    readonly traceBased: boolean;
  };
  readonly _sharedState: {
    readonly hasShutdown: boolean;
    readonly resource: Resource;
    readonly logRecordLimits: { readonly attributeCountLimit: number; readonly attributeValueLengthLimit: number };
    readonly processors: readonly LogRecordProcessor[];
    readonly activeProcessor: LogRecordProcessor;
    readonly loggerMetrics?: { emitLog(): void };
  };
}

/** The state of `logger` when it is an SDK logger that takes every record, else `undefined`. */
function sdkLoggerState(logger: Logger): SdkLoggerState | undefined {
  const s = logger as unknown as Partial<SdkLoggerState>;
  const shared = s._sharedState;
  const config = s._loggerConfig;
  if (shared === undefined || config === undefined || s._instrumentationScope === undefined) return undefined;
  if (typeof shared.hasShutdown !== 'boolean' || typeof shared.activeProcessor?.onEmit !== 'function') return undefined;
  if (shared.resource === undefined || !Array.isArray(shared.processors)) return undefined;
  if (config.disabled !== false || config.minimumSeverity !== 0 || config.traceBased !== false) return undefined;
  if (shared.processors.some((p) => typeof p.enabled === 'function')) return undefined;
  const limits = shared.logRecordLimits;
  if (typeof limits?.attributeCountLimit !== 'number' || limits.attributeValueLengthLimit !== Infinity)
    return undefined;
  return s as SdkLoggerState;
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
  if (tr !== 0)
    record.context = trace.setSpanContext(ROOT_CONTEXT, { traceId: tr[0], spanId: tr[1], traceFlags: tr[2] });
  return record;
}

/** Emits ring snapshots as {@link LeanLogRecord}s (see the module doc). */
export interface LeanEmitter {
  /**
   * Emits `snapshot` (parsed from `text`); returns false, having emitted nothing, when its
   * attributes must go through the SDK logger instead. Throws what a processor throws.
   */
  emit(snapshot: RecordSnapshot, text: string): boolean;
}

/** The lean emitter of the SDK logger `logger`, or `undefined` when records must go through `logger` itself. */
export function leanEmitterOf(logger: Logger): LeanEmitter | undefined {
  const state = sdkLoggerState(logger);
  if (state === undefined) return undefined;
  const shared = state._sharedState;
  const scope = state._instrumentationScope;
  const countLimit = shared.logRecordLimits.attributeCountLimit;
  return {
    emit(snapshot, text) {
      const [ts, eventName, severityNumber, severityText, body, attributes, tr] = snapshot;
      const count = snapshotAttributeCount(attributes, text, countLimit);
      if (count < 0) return false;
      if (shared.hasShutdown) return true; // as the SDK logger: nothing is emitted after shutdown
      let spanContext: SpanContext | undefined;
      let ctx = context.active();
      if (tr !== 0) {
        const sc: SpanContext = { traceId: tr[0], spanId: tr[1], traceFlags: tr[2] };
        ctx = trace.setSpanContext(ROOT_CONTEXT, sc);
        if (isSpanContextValid(sc)) spanContext = sc;
      }
      const now = Date.now();
      const record = new LeanLogRecord(
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
        shared.resource,
        scope,
        countLimit,
      );
      shared.loggerMetrics?.emitLog();
      shared.activeProcessor.onEmit(record, ctx);
      record.close();
      return true;
    },
  };
}
