/**
 * Options of the journal shipper (OTLP export of the records the journal holds) and their defaults.
 * The environment's part (protocol, compression) is read by src/logger/env.ts, not here.
 */

import type { OtlpProtocol } from './otlp-encoding.js';

/** How the shipper batches, retries and bounds its lag. Every field is optional. */
export interface JournalShipperOptions {
  /**
   * Encoding of the requests: `http/protobuf` (default) or `http/json`. Env:
   * `OTEL_EXPORTER_OTLP_LOGS_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL` (other values: default).
   */
  readonly protocol?: OtlpProtocol;
  /**
   * Request compression: `none` (default) or `gzip`. Env: `OTEL_EXPORTER_OTLP_LOGS_COMPRESSION`,
   * then `OTEL_EXPORTER_OTLP_COMPRESSION`.
   */
  readonly compression?: 'gzip' | 'none';
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
  readonly protocol: OtlpProtocol;
  readonly compression: 'gzip' | 'none';
  readonly maxBatchRecords: number;
  readonly maxInFlight: number;
  readonly pollIntervalMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly maxLagSeconds: number;
  readonly drainTimeoutMs: number;
}

/**
 * Applies `options` over `fromEnv` (the settings the environment gives, in the same shape), then
 * the defaults; throws `RangeError` on a value that is not a positive number.
 */
export function resolveShipperOptions(
  options: JournalShipperOptions = {},
  fromEnv: Pick<JournalShipperOptions, 'protocol' | 'compression'> = {},
): ResolvedShipperOptions {
  const numbers = {
    maxBatchRecords: Math.floor(options.maxBatchRecords ?? 2048),
    maxInFlight: Math.floor(options.maxInFlight ?? 4),
    pollIntervalMs: options.pollIntervalMs ?? 100,
    retryInitialMs: options.retryInitialMs ?? 250,
    retryMaxMs: options.retryMaxMs ?? 5000,
    maxLagSeconds: options.maxLagSeconds ?? 7 * 86_400,
    drainTimeoutMs: options.drainTimeoutMs ?? 15_000,
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`journal shipper option ${name} must be a positive number, got ${String(value)}`);
    }
  }
  const protocol = options.protocol ?? fromEnv.protocol ?? 'http/protobuf';
  const compression = options.compression ?? fromEnv.compression ?? 'none';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json')
    throw new RangeError(`journal shipper option protocol must be http/protobuf or http/json, got ${String(protocol)}`);
  if (compression !== 'gzip' && compression !== 'none')
    throw new RangeError(`journal shipper option compression must be gzip or none, got ${String(compression)}`);
  return { ...numbers, protocol, compression };
}
