/**
 * Options of the journal shipper (OTLP export of the records the journal holds) and their defaults.
 */

/** How the shipper batches, retries and bounds its lag. Every field is optional. */
export interface JournalShipperOptions {
  /** Records per OTLP request (default 2048). */
  readonly maxBatchRecords?: number;
  /** Requests sent before the first is acknowledged (default 4); the cursor still moves in order. */
  readonly maxInFlight?: number;
  /** How often the shipper looks for new lines once it has caught up, in ms (default 100). */
  readonly pollIntervalMs?: number;
  /** First retry delay after a failed request, in ms (default 250); doubles per attempt, with jitter. */
  readonly retryInitialMs?: number;
  /** Longest retry delay, in ms (default 5000). The shipper never gives up; it lags instead. */
  readonly retryMaxMs?: number;
  /**
   * Longest lag (age in seconds of the oldest record not yet shipped) that retention may wait
   * for: an expired segment the shipper has not finished is kept while the lag is below it, and
   * deleted past it, with a signed loss record naming what was never shipped. Default: 7 days.
   */
  readonly maxLagSeconds?: number;
  /** Longest wait of `forceFlush` / `shutdown` for the shipper to catch up, in ms (default 15000). */
  readonly drainTimeoutMs?: number;
}

/** {@link JournalShipperOptions} with defaults applied. */
export interface ResolvedShipperOptions {
  readonly maxBatchRecords: number;
  readonly maxInFlight: number;
  readonly pollIntervalMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly maxLagSeconds: number;
  readonly drainTimeoutMs: number;
}

/** Applies defaults; throws `RangeError` on a value that is not a positive number. */
export function resolveShipperOptions(options: JournalShipperOptions = {}): ResolvedShipperOptions {
  const resolved: ResolvedShipperOptions = {
    maxBatchRecords: Math.floor(options.maxBatchRecords ?? 2048),
    maxInFlight: Math.floor(options.maxInFlight ?? 4),
    pollIntervalMs: options.pollIntervalMs ?? 100,
    retryInitialMs: options.retryInitialMs ?? 250,
    retryMaxMs: options.retryMaxMs ?? 5000,
    maxLagSeconds: options.maxLagSeconds ?? 7 * 86_400,
    drainTimeoutMs: options.drainTimeoutMs ?? 15_000,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`journal shipper option ${name} must be a positive number, got ${String(value)}`);
    }
  }
  return resolved;
}
