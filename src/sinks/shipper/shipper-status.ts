/**
 * What the journal shipper reports: its state, lag and counters, the diagnostics kinds it counts,
 * and how the lag is computed from its position and the journal's tip.
 */
import type { ShippedRecord } from './cursor.js';

/** Diagnostics kinds counted by the shipper. */
export const SHIPPER_FAILURE = {
  /** A request to the collector failed; the batch is retried. */
  export: 'shipper.export',
  /** A journal line is not a signed record (torn by a crash, edited); it is not sent. */
  unreadable: 'shipper.unreadable',
  /** The cursor could not be read or written, or its file is gone. */
  cursor: 'shipper.cursor',
  /** Reading the journal failed; retried. */
  read: 'shipper.read',
  /**
   * The collector rejected records permanently (HTTP 400 / 413, isolated by splitting the batch;
   * declared in signed loss records), or dropped some of a batch it accepted (partial success).
   */
  rejected: 'shipper.rejected',
} as const;

/** Outcome of declaring a loss: see {@link JournalShipperParams.declareLoss}. */
export type LossDeclaration = 'declared' | 'failed' | 'unavailable';

/**
 * What the shipper is doing. `starting`: its thread is starting; `counting`: it is finding its
 * saved cursor in the journal and counting the records after it — until that count is done,
 * `recordsBehind` counts only what this process has written, and the lag gauges are not reported.
 */
export type ShipperState = 'starting' | 'counting' | 'shipping' | 'retrying' | 'caught-up' | 'stopped';

/** How far the collector is behind the journal. */
export interface ShipperLag {
  /** Records in the journal not yet acknowledged by the collector. */
  readonly recordsBehind: number;
  /** Age in seconds of the oldest record not yet acknowledged (0 when caught up). */
  readonly secondsBehind: number;
}

/** The shipper's state, lag and counters. */
export interface ShipperStatus extends ShipperLag {
  readonly state: ShipperState;
  /** Records acknowledged by the collector since this shipper started. */
  readonly recordsShipped: number;
  /** Requests sent / failed since start. */
  readonly requests: number;
  readonly failedRequests: number;
  /**
   * Records the collector rejected permanently since start: rejected on their own (HTTP 400 /
   * 413; declared in signed loss records) or reported dropped by a partial success.
   */
  readonly recordsRejected: number;
  /** The last record acknowledged (from the cursor at start, then as batches are acknowledged). */
  readonly lastShipped?: ShippedRecord;
  /** Why the last request failed, while retrying. */
  readonly lastError?: string;
  /** CPU time the shipper's worker thread has used, in ms (Linux only). */
  readonly threadCpuMs?: number;
}

/** Lines the journal has accepted: written to its files, and still buffered in memory. */
export interface JournalTip {
  readonly linesWritten: number;
  readonly pendingLines: number;
}

/** What the lag is computed from, besides the journal's tip. */
export interface LagParts {
  /** Lines consumed by the shipper minus the calibration base: the tip's line count at which it is caught up. */
  readonly consumedMinusBase: number;
  /** Time of the oldest record of the batch being sent (ms since epoch). */
  readonly oldestPendingMs?: number;
  /** Time of the last acknowledged record (ms since epoch). */
  readonly lastShippedMs?: number;
}

/** Records and seconds behind, from the shipper's {@link LagParts} and the journal's current tip. */
export function lagOf(parts: LagParts, tip: JournalTip | undefined, now: number = Date.now()): ShipperLag {
  const recordsBehind = Math.max(0, (tip ? tip.linesWritten + tip.pendingLines : 0) - parts.consumedMinusBase);
  if (recordsBehind === 0 && parts.oldestPendingMs === undefined) return { recordsBehind, secondsBehind: 0 };
  const since = parts.oldestPendingMs ?? parts.lastShippedMs;
  return { recordsBehind, secondsBehind: since === undefined ? 0 : Math.max(0, (now - since) / 1000) };
}
