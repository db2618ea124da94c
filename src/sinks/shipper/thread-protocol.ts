/** Messages between the application thread and the shipper's worker thread. */
import type { Attributes } from '@opentelemetry/api';
import type { ResolvedOtlpSinkOptions } from '../otlp-options.js';
import type { LagParts, LossDeclaration, ShipperStatus } from './shipper-status.js';
import type { ResolvedShipperOptions } from './options.js';
import type { RecordLoss } from '../../record/loss-record.js';
import type { FailureKind } from '../../events/failure-kinds.js';

/** What the worker starts from. */
export interface ShipperWorkerData {
  readonly activePath: string;
  readonly otlp: ResolvedOtlpSinkOptions;
  readonly resourceAttributes: Attributes;
  readonly options: ResolvedShipperOptions;
  /** Two float64: the journal's lines written and lines buffered, kept current by the application thread. */
  readonly tip: SharedArrayBuffer;
}

/** Application thread → worker. */
export type ToShipperWorker =
  | { readonly type: 'drain'; readonly id: number; readonly timeoutMs: number }
  | { readonly type: 'stop' }
  | { readonly type: 'loss-declared'; readonly id: number; readonly outcome: LossDeclaration };

/** Worker → application thread. */
export type FromShipperWorker =
  | { readonly type: 'status'; readonly status: ShipperStatus; readonly lag: LagParts }
  | { readonly type: 'count'; readonly kind: FailureKind; readonly detail: string | undefined; readonly times: number }
  | { readonly type: 'drained'; readonly id: number; readonly ok: boolean }
  /** Records the collector rejected: to be declared in a signed loss record (answered by `loss-declared`). */
  | { readonly type: 'declare-loss'; readonly id: number; readonly loss: RecordLoss }
  | { readonly type: 'stopped' };
