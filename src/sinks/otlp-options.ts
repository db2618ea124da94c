/**
 * The OTLP export settings: one options shape for code and environment ({@link AuditOtlpOptions};
 * the environment is read into the same shape by `otlpSettingsFromEnv` in src/logger/env.ts) and
 * their resolution into the URLs and limits the OTLP sinks use. Nothing here reads the
 * environment.
 */
import type { JournalShipperOptions } from './shipper/options.js';

/** Where OTLP/HTTP export goes. Fields left out come from the standard `OTEL_EXPORTER_OTLP_*` variables. */
export interface AuditOtlpOptions {
  /**
   * Base URL of the collector, e.g. `http://localhost:4318` (`/v1/logs`, `/v1/metrics` are appended).
   * Env: `AUDIT_OTLP_ENDPOINT`, then `OTEL_EXPORTER_OTLP_ENDPOINT`.
   */
  readonly endpoint?: string;
  /** Full URL of the logs endpoint (default `<endpoint>/v1/logs`). Env: `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`. */
  readonly logsUrl?: string;
  /** Full URL of the metrics endpoint (default `<endpoint>/v1/metrics`). Env: `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`. */
  readonly metricsUrl?: string;
  /**
   * Extra HTTP headers (e.g. authorization). Env: `OTEL_EXPORTER_OTLP_HEADERS` merged with
   * `OTEL_EXPORTER_OTLP_LOGS_HEADERS` (`k=v,k2=v2`, URL-encoded).
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Export metrics over OTLP too (default true; env `OTEL_METRICS_EXPORTER=none` turns them off). */
  readonly metrics?: boolean;
  /** Metric export interval in ms (default 15000, or `OTEL_METRIC_EXPORT_INTERVAL`). */
  readonly metricIntervalMs?: number;
  /** Timeout of one export request in ms (default 10000, or `OTEL_EXPORTER_OTLP_TIMEOUT`). */
  readonly timeoutMs?: number;
  /**
   * Where exported log records come from. `'journal'` (the default when the logger has a
   * journal): a shipper reads them back from the journal, with a saved cursor, and never drops
   * one (it lags instead). `'memory'`: an in-process batch exporter with a bounded buffer, which
   * counts (`otlp.queue_full`) what does not fit; the only mode without a journal.
   */
  readonly logsFrom?: 'journal' | 'memory';
  /** Batching, retry and lag settings of the journal shipper. */
  readonly shipper?: JournalShipperOptions;
}

/** The OTLP settings in force: {@link AuditOtlpOptions} over the environment's, with every default applied. */
export interface ResolvedOtlpSinkOptions {
  readonly logsUrl: string;
  /** Absent when metrics are not exported (`metrics: false`). */
  readonly metricsUrl: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Timeout of one export request (ms). */
  readonly timeoutMillis: number;
  readonly metricExportIntervalMillis: number;
  /** Records the in-memory sink buffers; beyond it records are counted as `otlp.queue_full`. */
  readonly maxQueueSize: number;
  /** Records per export request. */
  readonly maxExportBatchSize: number;
  /** Delay between scheduled exports (ms). */
  readonly scheduledDelayMillis: number;
  /**
   * Longest wait of `forceFlush` and `shutdown` (ms; request timeout + 5000). Batches are exported
   * one at a time, so against a hanging collector a full buffer would otherwise take one request
   * timeout per batch; at the limit, shutdown counts what is still undelivered.
   */
  readonly shutdownTimeoutMillis: number;
}

/**
 * The settings in force for `options` over `fromEnv` (the environment read into the same shape).
 * Per URL, the signal-specific URL wins over the base endpoint, and within each the option wins
 * over the environment: logs URL = `options.logsUrl`, env logs URL, `<options.endpoint>/v1/logs`,
 * `<env endpoint>/v1/logs` (likewise metrics). Returns `undefined` when no URL is known for a
 * signal that is exported (logs always; metrics unless turned off). Throws `TypeError` on an
 * invalid URL (a configuration error at start-up, not at emit time).
 */
export function resolveOtlpOptions(
  options: AuditOtlpOptions,
  fromEnv: AuditOtlpOptions = {},
): ResolvedOtlpSinkOptions | undefined {
  const base = text(options.endpoint) ?? text(fromEnv.endpoint);
  const logsUrl = text(options.logsUrl) ?? text(fromEnv.logsUrl) ?? (base ? signalUrl(base, 'logs') : undefined);
  const metricsUrl =
    text(options.metricsUrl) ?? text(fromEnv.metricsUrl) ?? (base ? signalUrl(base, 'metrics') : undefined);
  const wantMetrics = (options.metrics ?? fromEnv.metrics) !== false;
  if (!logsUrl || (wantMetrics && !metricsUrl)) return undefined;
  checkUrl(logsUrl);
  if (wantMetrics) checkUrl(metricsUrl as string);
  const timeoutMillis = positive(options.timeoutMs) ?? positive(fromEnv.timeoutMs) ?? 10_000;
  return {
    logsUrl,
    metricsUrl: wantMetrics ? metricsUrl : undefined,
    headers: options.headers ?? fromEnv.headers ?? {},
    timeoutMillis,
    metricExportIntervalMillis: positive(options.metricIntervalMs) ?? positive(fromEnv.metricIntervalMs) ?? 15_000,
    maxQueueSize: 20_000,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 1000,
    shutdownTimeoutMillis: timeoutMillis + 5000,
  };
}

/** Throws a `TypeError` naming `url` and where it may come from when it is not a URL. */
function checkUrl(url: string): void {
  if (!URL.canParse(url)) {
    throw new TypeError(
      `OTLP endpoint is not a valid URL: "${url}" (from the otlp options or OTEL_EXPORTER_OTLP_*ENDPOINT / AUDIT_OTLP_ENDPOINT)`,
    );
  }
}

/** `value` unless it is absent or empty (an empty setting is no setting). */
function text(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' ? value : undefined;
}

/** `value` unless it is absent or not above zero. */
function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

function signalUrl(base: string, signal: 'logs' | 'metrics'): string {
  return base.replace(/\/+$/, '') + `/v1/${signal}`;
}
