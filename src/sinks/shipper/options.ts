/**
 * Options of the journal shipper (OTLP export of the records the journal holds) and their defaults.
 */

import type { OtlpProtocol } from './otlp-encoding.js';

/** Environment variables read by {@link resolveShipperOptions}. */
export type ShipperEnv = Readonly<Record<string, string | undefined>>;

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

/** Applies defaults; throws `RangeError` on a value that is not a positive number. */
export function resolveShipperOptions(
  options: JournalShipperOptions = {},
  env: ShipperEnv = process.env,
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
  const protocol = options.protocol ?? envChoice(env, 'PROTOCOL', ['http/protobuf', 'http/json']) ?? 'http/protobuf';
  const compression = options.compression ?? envChoice(env, 'COMPRESSION', ['gzip', 'none']) ?? 'none';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json')
    throw new RangeError(`journal shipper option protocol must be http/protobuf or http/json, got ${String(protocol)}`);
  if (compression !== 'gzip' && compression !== 'none')
    throw new RangeError(`journal shipper option compression must be gzip or none, got ${String(compression)}`);
  return { ...numbers, protocol, compression };
}

/** `OTEL_EXPORTER_OTLP_LOGS_<name>`, else `OTEL_EXPORTER_OTLP_<name>`, when one of `allowed`. */
function envChoice<T extends string>(env: ShipperEnv, name: string, allowed: readonly T[]): T | undefined {
  for (const key of [`OTEL_EXPORTER_OTLP_LOGS_${name}`, `OTEL_EXPORTER_OTLP_${name}`]) {
    const value = env[key]?.trim().toLowerCase();
    if (value && (allowed as readonly string[]).includes(value)) return value as T;
  }
  return undefined;
}
