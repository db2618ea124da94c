/**
 * A metric exporter wrapper that counts failed metric exports in the audit diagnostics
 * (`otlp.metrics-export`), so a collector that refuses or cannot be reached shows up in
 * `getDiagnostics()`, `audit-cli stats` and the failures metric, not only in the OTel SDK's
 * error handler. Everything else is delegated unchanged.
 */
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { asError, errorText } from '../events/error-text.js';

/** Diagnostics kind of a failed metric export. */
export const METRICS_EXPORT_FAILURE = 'otlp.metrics-export';

/** Delegates to `inner` and counts every export that does not succeed. */
export class CountingMetricExporter implements PushMetricExporter {
  /** The inner exporter's temporality choice (absent when it has none, so the reader's default applies). */
  readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
  /** The inner exporter's aggregation choice (absent when it has none). */
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly diagnostics: AuditDiagnostics,
  ) {
    if (inner.selectAggregationTemporality)
      this.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
    if (inner.selectAggregation) this.selectAggregation = inner.selectAggregation.bind(inner);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const series = metrics.scopeMetrics.reduce((n, scope) => n + scope.metrics.length, 0);
    const fail = (error: unknown): void => {
      const text = errorText(error);
      this.diagnostics.count(METRICS_EXPORT_FAILURE, `OTLP metric export of ${series} metric(s) failed: ${text}`);
    };
    try {
      this.inner.export(metrics, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) fail(result.error);
        resultCallback(result);
      });
    } catch (err) {
      fail(err);
      resultCallback({ code: ExportResultCode.FAILED, error: asError(err) });
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
