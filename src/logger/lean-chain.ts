/**
 * The processor chain of an OpenTelemetry SDK logger, reached without the SDK's own record: a
 * {@link LeanLogRecord} is handed to the same processors (PII → signing → sinks, in that order,
 * with the provider's resource, scope object and attribute count limit, nothing once the provider
 * shut down) as the SDK logger would hand its record to. The SDK record checks and deep-copies
 * every attribute value when it is created; the records emitted here own attributes that are clean
 * already, so that work would be spent on every record for nothing.
 *
 * The processors, resource, scope and limits are read from the SDK logger itself, so both kinds of
 * records travel one chain and group as one scope in OTLP exports. When the logger is not shaped
 * as expected, or is configured to filter or change records (a logger configurator, a processor
 * with `enabled()`, a value length limit), {@link leanChainOf} gives `undefined` and records go
 * through the SDK logger; so do records whose attributes the SDK would store differently.
 */
import { context, isSpanContextValid, trace, type Context, type HrTime } from '@opentelemetry/api';
import type { LogAttributes, LogBody, Logger, SeverityNumber } from '@opentelemetry/api-logs';
import { timeInputToHrTime, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { LeanLogRecord, type LeanFields } from './lean-record.js';

/** What the SDK logger (sdk-logs `Logger`) holds that the chain uses. */
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

/** The state of `logger` when it is an SDK logger that takes every record unchanged, else `undefined`. */
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

/** A record whose attributes belong to it alone and hold only values the SDK stores unchanged. */
export interface OwnedRecord {
  /** When it happened (default: now). */
  readonly timestamp?: number | HrTime;
  readonly eventName: string | undefined;
  readonly severityNumber: SeverityNumber | undefined;
  readonly severityText: string | undefined;
  readonly body: LogBody | undefined;
  /** Plain maps, arrays and scalars, no cycle, no `__proto__` or `constructor` key; not used by the caller afterwards. */
  readonly attributes: LogAttributes;
}

/** The processor chain of one SDK logger (see the module doc). */
export interface LeanChain {
  /**
   * Emits `record` as the SDK logger emits it with `ctx` as its context (default: the active one)
   * and that context's span, observed now; nothing once the provider shut down. Returns false,
   * having emitted nothing, when its attributes must go through the SDK logger instead (an empty
   * key, more than the count limit). Throws what a processor throws.
   */
  emitOwned(record: OwnedRecord, ctx?: Context): boolean;
}

/** The lean chain of the SDK logger `logger`, or `undefined` when records must go through `logger` itself. */
export function leanChainOf(logger: Logger): LeanChain | undefined {
  const state = sdkLoggerState(logger);
  if (state === undefined) return undefined;
  const shared = state._sharedState;
  const scope = state._instrumentationScope;
  const countLimit = shared.logRecordLimits.attributeCountLimit;
  return {
    emitOwned(record, ctx = context.active()) {
      const { attributes } = record;
      let count = 0;
      for (const key in attributes) {
        if (key === '') return false;
        count++;
      }
      if (count > countLimit) return false;
      if (shared.hasShutdown) return true; // as the SDK logger: nothing is emitted after shutdown
      const active = trace.getSpanContext(ctx);
      const now = Date.now();
      const fields: LeanFields = {
        hrTime: timeInputToHrTime(record.timestamp ?? now),
        hrTimeObserved: timeInputToHrTime(now),
        spanContext: active !== undefined && isSpanContextValid(active) ? active : undefined,
        eventName: record.eventName,
        severityNumber: record.severityNumber,
        severityText: record.severityText,
        body: record.body,
      };
      const lean = new LeanLogRecord(fields, attributes, count, shared.resource, scope, countLimit);
      shared.loggerMetrics?.emitLog();
      shared.activeProcessor.onEmit(lean, ctx);
      lean.close();
      return true;
    },
  };
}
