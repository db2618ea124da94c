/**
 * The shipper's running account: its state, what it has consumed of the journal and shipped, the
 * requests it sent and how they went, and from these its lag and status (see
 * {@link ShipperStatus}). Failed requests are counted in the diagnostics here.
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import type { ShippedRecord } from './cursor.js';
import type { SendOutcome } from './otlp-sender.js';
import {
  lagOf,
  SHIPPER_FAILURE,
  type JournalTip,
  type LagParts,
  type ShipperState,
  type ShipperStatus,
} from './shipper-status.js';

/** State, counters and lag of one shipper. */
export class ShipperProgress {
  state: ShipperState = 'starting';
  /** Time of the oldest record of the batches out (ms since epoch). */
  oldestPendingMs: number | undefined;
  private consumed = 0;
  private base = 0;
  private shipped = 0;
  private requests = 0;
  private failed = 0;
  private rejected = 0;
  private lastError: string | undefined;

  /**
   * @param diagnostics where failed requests are counted
   * @param retryMaxMs the longest back-off (said in the message of a refused request)
   */
  constructor(
    private readonly diagnostics: AuditDiagnostics,
    private readonly retryMaxMs: number,
  ) {}

  /** Status with the lag against the journal's `tip`; `last`: the last record acknowledged. */
  status(last: ShippedRecord | undefined, tip: JournalTip | undefined): ShipperStatus {
    return {
      state: this.state,
      ...lagOf(this.lagParts(last), tip),
      recordsShipped: this.shipped,
      requests: this.requests,
      failedRequests: this.failed,
      recordsRejected: this.rejected,
      ...(last ? { lastShipped: last } : {}),
      ...(this.state === 'retrying' && this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** The parts of the lag that do not depend on the journal's tip (see {@link lagOf}). */
  lagParts(last: ShippedRecord | undefined): LagParts {
    const lastMs = last ? Date.parse(last.ts) : undefined;
    return {
      consumedMinusBase: this.consumed - this.base,
      ...(this.oldestPendingMs !== undefined ? { oldestPendingMs: this.oldestPendingMs } : {}),
      ...(lastMs !== undefined && Number.isFinite(lastMs) ? { lastShippedMs: lastMs } : {}),
    };
  }

  /**
   * Sets the calibration: `backlog` lines were unshipped when the journal's writer had written
   * `linesWritten` (at start, after counting the backlog).
   */
  calibrate(backlog: number, linesWritten: number): void {
    this.base = backlog - linesWritten;
  }

  /** Caught up with a journal whose writer has written `linesWritten` lines: re-aligns the calibration. */
  caughtUpAt(linesWritten: number): void {
    this.base = this.consumed - linesWritten;
  }

  /** A batch of `lines` journal lines carrying `records` records was settled; `rejected` of them rejected. */
  batchSettled(lines: number, records: number, rejected: number): void {
    this.rejected += rejected;
    this.consumed += lines;
    this.shipped += records - rejected;
  }

  /** Counts a request's outcome (a request of `records` records, its `attempt`th try). */
  requestDone(outcome: SendOutcome, records: number, attempt: number): void {
    this.requests++;
    if (outcome.kind === 'accepted' || outcome.kind === 'rejected') {
      this.lastError = undefined;
      this.state = 'shipping';
      return;
    }
    this.failed++;
    this.lastError = outcome.error;
    this.state = 'retrying';
    this.diagnostics.count(
      SHIPPER_FAILURE.export,
      outcome.kind === 'refused'
        ? `${records} record(s) refused (${outcome.error}; attempt ${attempt}): not about the records, kept in the journal and retried every ${this.retryMaxMs} ms — check the endpoint and its credentials`
        : `${records} record(s) not acknowledged (attempt ${attempt}), retrying: ${outcome.error}`,
    );
  }

  /** Nothing left to read: `caught-up`, unless the last request failed and is being retried. */
  idle(): void {
    this.state = this.lastError !== undefined && this.state === 'retrying' ? 'retrying' : 'caught-up';
    this.oldestPendingMs = undefined;
  }
}
