/**
 * Failure accounting. Audit code never throws into the orchestrator and never drops a record
 * silently: whatever goes wrong is counted here by kind, with the last detail kept, and surfaced
 * through `AuditLogger.getDiagnostics()`, `audit-cli stats` and the `orchestrator.audit.failures`
 * metric. The kinds are those of the catalogue in ./failure-kinds.ts.
 */
import type { FailureKind } from './failure-kinds.js';

/** One kind of failure and how often it happened. */
export interface FailureCount {
  /** Stable machine-readable kind, e.g. `sanitize.circular`, `journal.write`, `webhook.delivery`. */
  readonly kind: string;
  /** How many times it happened since start. */
  readonly count: number;
  /** Human-readable detail of the most recent occurrence. */
  readonly lastDetail?: string;
  /** When it last happened (ms since epoch). */
  readonly lastAt: number;
}

/**
 * Listener told about failures as they are counted (the metric bridge uses this): `times` failures
 * of `kind` at once (1 unless several records were lost in one go).
 */
export type FailureListener = (kind: FailureKind, detail: string | undefined, times: number) => void;

/** A counter of failures by kind. Cheap to call on a hot path; never throws. */
export class AuditDiagnostics {
  private readonly counts = new Map<string, { count: number; lastDetail?: string; lastAt: number }>();
  private readonly listeners: FailureListener[] = [];

  /**
   * Counts `times` failures of `kind` (a name of the catalogue; default one), e.g. one per record
   * lost together. `detail` must not contain PII (it may be printed).
   */
  count(kind: FailureKind, detail?: string, times = 1): void {
    if (!(times >= 1)) return;
    const entry = this.counts.get(kind);
    const now = Date.now();
    if (entry) {
      entry.count += times;
      entry.lastDetail = detail;
      entry.lastAt = now;
    } else {
      this.counts.set(kind, { count: times, lastDetail: detail, lastAt: now });
    }
    for (const listener of this.listeners) {
      try {
        listener(kind, detail, times);
      } catch {
        // a listener must not turn a counted failure into a thrown one
      }
    }
  }

  /** Registers a listener called on every counted failure. */
  onFailure(listener: FailureListener): void {
    this.listeners.push(listener);
  }

  /** Total failures, or of one kind. */
  total(kind?: string): number {
    if (kind !== undefined) return this.counts.get(kind)?.count ?? 0;
    let sum = 0;
    for (const entry of this.counts.values()) sum += entry.count;
    return sum;
  }

  /** Every kind counted so far, most frequent first. */
  snapshot(): FailureCount[] {
    return [...this.counts.entries()]
      .map(([kind, e]) => ({ kind, count: e.count, lastDetail: e.lastDetail, lastAt: e.lastAt }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  }
}

/** Process-wide diagnostics used where no logger-specific instance was given. */
export const defaultDiagnostics = new AuditDiagnostics();
