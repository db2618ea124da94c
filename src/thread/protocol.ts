/**
 * What the app thread and the audit worker exchange: the worker's start data, the snapshot of a
 * log record written into the ring, the control entries ordered with the records, and the
 * messages on the worker's port.
 */
import type { AnyValue, LogAttributes, SeverityNumber } from '@opentelemetry/api-logs';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { MessagePort } from 'node:worker_threads';
import type { StreamHead } from '../record/stream-head.js';
import type { ShipperStatus } from '../sinks/shipper/shipper-status.js';
import type { AuditLoggerOptions } from '../logger/options.js';
import type { WorkerFault } from './fault-injection.js';

/** The options that travel to the worker (plain data only). */
export type WorkerPipelineOptions = Omit<
  AuditLoggerOptions,
  'keyring' | 'processors' | 'diagnostics' | 'meterProvider' | 'metricReaders' | 'resource' | 'thread' | 'limits'
> & {
  /** Attributes of the app thread's resource (the worker's records carry the same resource). */
  readonly resourceAttributes: Attributes;
};

/** `workerData` of the audit worker. */
export interface AuditWorkerData {
  readonly ring: SharedArrayBuffer;
  readonly options: WorkerPipelineOptions;
  /** Start-up answer ({@link StartAnswer}), read synchronously by the app thread. */
  readonly startPort: MessagePort;
  /** Side channel of entries too large for the ring, read synchronously by the worker. */
  readonly largePort: MessagePort;
  /** A fault to show (set only through fault-injection.ts). */
  readonly fault?: WorkerFault;
}

/** An error as it crosses threads. */
export interface ErrorShape {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  /** The error's own plain-data fields (e.g. a journal lock's path and owner). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The worker's start-up answer. */
export type StartAnswer =
  | { readonly ok: true; readonly streamId: string; readonly head: StreamHead | undefined; readonly auditFile?: string }
  | { readonly ok: false; readonly error: ErrorShape };

/**
 * A log record as written into the ring: `[timestamp, eventName, severityNumber, severityText,
 * body, attributes, trace]`; the timestamp is ms since the epoch or an HrTime, `trace` is
 * `[traceId, spanId, traceFlags]` or 0.
 */
export type RecordSnapshot = [
  number | HrTime,
  string | undefined,
  SeverityNumber | undefined,
  string | undefined,
  AnyValue,
  LogAttributes,
  [string, string, number] | 0,
];

/** A control entry, applied by the worker between the records written before and after it. */
export interface ControlEntry {
  /** Compliance mode switched on or off. */
  readonly anonymizing?: boolean;
  /** Whether signed records are posted back for the app thread's alerts and webhooks. */
  readonly replay?: boolean;
}

/** A signed record posted back to the app thread (alerts, webhooks). */
export interface ReplayedRecord {
  readonly hrTime: HrTime;
  readonly hrTimeObserved: HrTime;
  readonly eventName: string | undefined;
  readonly severityNumber: SeverityNumber | undefined;
  readonly severityText: string | undefined;
  readonly body: AnyValue;
  readonly attributes: LogAttributes;
  readonly trace: [string, string, number] | 0;
}

/** App thread → worker. */
export type ToAuditWorker =
  { readonly type: 'flush'; readonly id: number } | { readonly type: 'shutdown'; readonly id: number };

/** Worker → app thread. */
export type FromAuditWorker =
  | {
      readonly type: 'state';
      /** Failures counted in the worker since the last state: kind, last detail and how many. */
      readonly failures: readonly (readonly [kind: string, detail: string | undefined, times: number])[];
      /** Seals written since the last state, by reason. */
      readonly seals: readonly string[];
      readonly head: StreamHead | undefined;
      readonly shipping?: ShipperStatus;
      /** CPU time of the worker thread so far (ms), where the platform tells. */
      readonly cpuMs?: number;
      /** Records the worker has emitted into its pipeline. */
      readonly emitted: number;
    }
  | { readonly type: 'records'; readonly records: readonly ReplayedRecord[] }
  | { readonly type: 'reply'; readonly id: number; readonly error?: ErrorShape };

/** The shape of a thrown value, for crossing threads. */
export function errorShapeOf(err: unknown): ErrorShape {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; message?: unknown; code?: unknown };
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(err)) {
      if (key === 'name' || key === 'message' || key === 'stack') continue;
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
      else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
        fields[key] = JSON.parse(JSON.stringify(value)) as unknown;
    }
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : String(err),
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      fields,
    };
  }
  return { name: 'Error', message: String(err) };
}
