/**
 * OTLP/HTTP export of audit logs and metrics to an OpenTelemetry Collector (collector-config/),
 * which forwards logs to Loki and metrics to Prometheus. Small builders used by the AuditLogger:
 * a log-record processor that batches signed records to the
 * collector and counts every record it could not deliver, and a periodic metric reader with the
 * temporality and histogram aggregation the Prometheus side expects (cumulative; durations as
 * exponential histograms → Prometheus native histograms). The settings come resolved
 * (src/sinks/otlp-options.ts); request compression follows the exporters' own
 * `OTEL_EXPORTER_OTLP_COMPRESSION` (`gzip` or `none`).
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { AggregationTemporalityPreference, OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  BatchLogRecordProcessor,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
  type SdkLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  AggregationType,
  InstrumentType,
  PeriodicExportingMetricReader,
  type AggregationOption,
} from '@opentelemetry/sdk-metrics';
import { defaultDiagnostics, type AuditDiagnostics } from '../events/diagnostics.js';
import { DURATION_HISTOGRAM_MAX_SIZE } from '../events/semconv.js';
import { CountingMetricExporter } from './otlp-metric-exporter.js';
import type { ResolvedOtlpSinkOptions } from './otlp-options.js';
import { asError, errorText } from '../events/error-text.js';

/** An OTLP/HTTP (JSON) log exporter for the resolved options. */
export function createOtlpLogExporter(options: ResolvedOtlpSinkOptions): OTLPLogExporter {
  return new OTLPLogExporter({
    url: options.logsUrl,
    headers: { ...options.headers },
    timeoutMillis: options.timeoutMillis,
  });
}

/**
 * An OTLP/HTTP metric exporter: cumulative temporality (what Prometheus's OTLP receiver stores)
 * and exponential histograms for every histogram instrument (→ Prometheus native histograms).
 */
export function createOtlpMetricExporter(options: ResolvedOtlpSinkOptions): OTLPMetricExporter {
  if (options.metricsUrl === undefined)
    throw new TypeError('OTLP metric export was turned off (metrics: false): these options have no metrics URL');
  return new OTLPMetricExporter({
    url: options.metricsUrl,
    headers: { ...options.headers },
    timeoutMillis: options.timeoutMillis,
    temporalityPreference: AggregationTemporalityPreference.CUMULATIVE,
    aggregationPreference: histogramsAsExponential,
  });
}

/**
 * Aggregation selector: exponential histograms (the logger's {@link DURATION_HISTOGRAM_MAX_SIZE}
 * buckets) for histograms, SDK defaults otherwise.
 */
export function histogramsAsExponential(instrumentType: InstrumentType): AggregationOption {
  return instrumentType === InstrumentType.HISTOGRAM
    ? {
        type: AggregationType.EXPONENTIAL_HISTOGRAM,
        options: { maxSize: DURATION_HISTOGRAM_MAX_SIZE, recordMinMax: true },
      }
    : { type: AggregationType.DEFAULT };
}

/**
 * A periodic metric reader exporting to the collector (add it to the MeterProvider's readers).
 * With `diagnostics`, failed exports are counted there as `otlp.metrics-export`.
 */
export function createOtlpMetricReader(
  options: ResolvedOtlpSinkOptions,
  diagnostics?: AuditDiagnostics,
): PeriodicExportingMetricReader {
  const exporter = createOtlpMetricExporter(options);
  return new PeriodicExportingMetricReader({
    exporter: diagnostics ? new CountingMetricExporter(exporter, diagnostics) : exporter,
    exportIntervalMillis: options.metricExportIntervalMillis,
    exportTimeoutMillis: Math.min(options.timeoutMillis, options.metricExportIntervalMillis),
  });
}

/**
 * Log-record processor that batches records to the collector over OTLP/HTTP. Place it after the
 * signing processor: the body it sends is the signed canonical record and `audit.sig` goes along
 * as an attribute. Never throws into the caller; a record that cannot be delivered (export error
 * after the exporter's own retries, buffer full, emitted after shutdown, or not confirmed by the
 * shutdown time limit) is counted in `diagnostics` as `otlp.export` or `otlp.queue_full`.
 */
export class OtlpLogSink implements LogRecordProcessor {
  private readonly batch: BatchLogRecordProcessor;
  private readonly maxQueueSize: number;
  private readonly shutdownTimeoutMillis: number;
  private pending = 0;
  private closed = false;
  /** Set when shutdown gave up waiting: the rest was counted, later outcomes are not counted again. */
  private abandoned = false;
  private idleWaiters: (() => void)[] = [];

  /**
   * @param options resolved options (`resolveOtlpOptions`).
   * @param diagnostics where failures are counted.
   * @param exporter the exporter to use instead of {@link createOtlpLogExporter} (tests).
   */
  constructor(
    options: ResolvedOtlpSinkOptions,
    private readonly diagnostics: AuditDiagnostics = defaultDiagnostics,
    exporter: LogRecordExporter = createOtlpLogExporter(options),
  ) {
    this.maxQueueSize = options.maxQueueSize;
    this.shutdownTimeoutMillis = options.shutdownTimeoutMillis;
    this.batch = new BatchLogRecordProcessor({
      exporter: new CountingExporter(
        exporter,
        (n, result) => this.settled(n, result),
        () => this.abandoned,
      ),
      maxQueueSize: options.maxQueueSize,
      maxExportBatchSize: Math.min(options.maxExportBatchSize, options.maxQueueSize),
      scheduledDelayMillis: options.scheduledDelayMillis,
      // the exporter retries within its own timeout; give the batch a little more
      exportTimeoutMillis: options.timeoutMillis + 5000,
    });
  }

  /** Records accepted but not yet acknowledged (or failed) by the collector. */
  get pendingRecords(): number {
    return this.pending;
  }

  /** Queues one record for export. */
  onEmit(logRecord: SdkLogRecord): void {
    try {
      if (this.closed) {
        this.diagnostics.count('otlp.export', '1 record(s) emitted after the OTLP sink shut down: not exported');
        return;
      }
      if (this.pending >= this.maxQueueSize) {
        this.diagnostics.count(
          'otlp.queue_full',
          `OTLP buffer full (${this.maxQueueSize} records): record not exported`,
        );
        return;
      }
      this.pending++;
      this.batch.onEmit(logRecord);
    } catch (err) {
      this.diagnostics.count('otlp.export', `OTLP sink: ${errorText(err)}`);
    }
  }

  /**
   * Exports everything buffered now, waiting at most `shutdownTimeoutMillis`; records still
   * unsettled then are counted when their export ends.
   */
  async forceFlush(): Promise<void> {
    const flushed = this.batch.forceFlush().catch((err: unknown) => {
      this.diagnostics.count('otlp.export', `OTLP flush: ${errorText(err)}`);
    });
    await withinMillis(flushed, this.shutdownTimeoutMillis);
  }

  /**
   * Flushes and stops, within `shutdownTimeoutMillis`. At the limit, every record not yet
   * confirmed by the collector is counted as `otlp.export`, remaining batches are failed without
   * a request, and the request in flight is left to its own timeout.
   */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = this.batch
      .shutdown()
      .catch((err: unknown) => {
        this.diagnostics.count('otlp.export', `OTLP shutdown: ${errorText(err)}`);
      })
      // the SDK's shutdown does not wait for a flush already running: wait until every record settled
      .then(() => this.idle());
    if (await withinMillis(stopped, this.shutdownTimeoutMillis)) return;
    this.abandoned = true;
    const left = this.pending;
    this.pending = 0;
    if (left > 0) {
      this.diagnostics.count(
        'otlp.export',
        `${left} record(s) not confirmed by the collector within the shutdown limit (${this.shutdownTimeoutMillis} ms)`,
      );
    }
  }

  /** Resolves when no record is waiting for its export outcome. */
  private idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settled(records: number, result: ExportResult): void {
    if (this.abandoned) return; // already counted by shutdown
    this.pending = Math.max(0, this.pending - records);
    if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (result.code !== ExportResultCode.SUCCESS) {
      this.diagnostics.count(
        'otlp.export',
        `${records} record(s) not delivered to the collector: ${errorText(result.error)}`,
      );
    }
  }
}

/** Passes batches to the real exporter and reports each batch's outcome. */
class CountingExporter implements LogRecordExporter {
  constructor(
    private readonly inner: LogRecordExporter,
    private readonly onSettled: (records: number, result: ExportResult) => void,
    /** True once the sink gave up: batches then fail at once instead of being sent. */
    private readonly abandoned: () => boolean,
  ) {}

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let done = false;
    const finish = (result: ExportResult): void => {
      if (done) return;
      done = true;
      this.onSettled(logs.length, result);
      resultCallback(result);
    };
    if (this.abandoned()) return finish({ code: ExportResultCode.FAILED, error: new Error('OTLP sink shut down') });
    try {
      this.inner.export(logs, finish);
    } catch (err) {
      finish({ code: ExportResultCode.FAILED, error: asError(err) });
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
}

/** Waits for `promise` at most `ms`; true when it settled in time. */
async function withinMillis(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms); // not unref'd: a shutdown must finish counting before exit
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
