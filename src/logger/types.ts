/** Public types of the AuditLogger API. */
import type { FailureCount } from '../events/diagnostics.js';
import type { StreamHead } from '../record/stream-head.js';
import type { ShipperStatus } from '../sinks/shipper/shipper-status.js';
import type { ThreadStats } from '../thread/worker-link.js';

/** A lead id as callers pass it; non-strings are converted (and marked). */
export type LeadId = string | number;

/** Fields of a custom event (`logEvent`). `leadId` and `workflow`, when strings, also become the standard attributes. */
export type CustomEventFields = { readonly leadId?: LeadId; readonly workflow?: string } & {
  readonly [field: string]: unknown;
};

/** What {@link AuditLogger.getDiagnostics} returns. */
export interface AuditLoggerDiagnostics {
  /** Internal failures by kind (sanitized input, sink errors, …), most frequent first. */
  readonly failures: FailureCount[];
  /** Sum of all failure counts. */
  readonly totalFailures: number;
  /** Records emitted by the helpers. */
  readonly eventsEmitted: number;
  /** Signing stream id of this logger. */
  readonly streamId: string;
  /** Last signed record of the stream, if any. */
  readonly head: StreamHead | undefined;
  /** Whether PII anonymization is on. */
  readonly anonymizingPii: boolean;
  /** State and lag of the journal shipper, when records are shipped from the journal. */
  readonly shipping?: ShipperStatus;
  /** Thread mode: the ring, the app thread's overflow queue and the worker's figures. */
  readonly thread?: ThreadStats;
}
