/**
 * {@link AuditQuerySource} over Prometheus: statistics from the event/error counters and
 * performance from the duration native histogram, over a time window ending now. Prometheus holds
 * metrics, not events: event listings and lead histories come from Loki or the journal.
 *
 * PromQL used (W = the window, e.g. `24h`; S = optional label matchers such as `orchestrator_workflow="x"`):
 *   events by type      sum by (orchestrator_event_type) (increase(orchestrator_audit_events_total{S}[W]))
 *   events by workflow  sum by (orchestrator_workflow) (increase(orchestrator_audit_events_total{S}[W]))
 *   errors              sum(increase(orchestrator_audit_errors_total{S}[W]))
 *   p50/p95/p99         histogram_quantile(q, sum by (orchestrator_operation) (increase(orchestrator_operation_duration_seconds{S}[W])))
 *   count / avg         histogram_count(…) / histogram_sum(…) of the same sum by operation
 *   min / max           histogram_quantile(0 / 1, …): bounds of the lowest / highest populated bucket
 * increase() extrapolates to the window edges, so counts are rounded to integers.
 */
import { METRIC } from '../../events/semconv.js';
import type { AuditEvent, AuditQuerySource, AuditStatistics, PerformanceReport, PerformanceStats } from '../types.js';
import { PrometheusClient, type PrometheusClientOptions, type PromSample } from './prometheus-client.js';
import { checkStatisticsOptions } from '../filter-check.js';

/** Prometheus names of the SDK's metrics (OTLP ingestion, UnderscoreEscapingWithSuffixes). */
export const PROM_METRICS = {
  events: 'orchestrator_audit_events_total',
  errors: 'orchestrator_audit_errors_total',
  duration: 'orchestrator_operation_duration_seconds',
  failures: 'orchestrator_audit_failures_total',
  seals: 'orchestrator_audit_seals_total',
} as const satisfies Record<keyof typeof METRIC, string>;

/** Prometheus label names of the metric attributes. */
export const PROM_LABELS = {
  eventType: 'orchestrator_event_type',
  workflow: 'orchestrator_workflow',
  errorType: 'orchestrator_error_type',
  operation: 'orchestrator_operation',
} as const;

/** Options of {@link PrometheusQuerySource}. */
export interface PrometheusQuerySourceOptions extends Partial<PrometheusClientOptions> {
  /** Prometheus base URL (`url` is also accepted, as audit-cli passes it). Env: `AUDIT_PROMETHEUS_URL`. */
  readonly prometheusUrl?: string;
  /** Window the statistics cover, a PromQL duration (default `24h`; env `AUDIT_PROMETHEUS_WINDOW`). */
  readonly window?: string;
  /** Extra label matchers applied to every query, e.g. `job="orchestrator"`. */
  readonly matchers?: string;
  /** Evaluation time (default: now). */
  readonly now?: () => Date;
  /** Environment for the defaults (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Asked for something Prometheus does not hold (individual events). */
export class PrometheusUnsupportedError extends Error {
  override readonly name = 'PrometheusUnsupportedError';
}

/** Statistics and performance from Prometheus. */
export class PrometheusQuerySource implements AuditQuerySource {
  /** The client used. */
  readonly client: PrometheusClient;
  /** The PromQL window of every query. */
  readonly window: string;
  private readonly matchers: string;
  private readonly now: () => Date;

  /** @throws TypeError when no valid Prometheus URL or window is given. */
  constructor(options: PrometheusQuerySourceOptions = {}) {
    const env = options.env ?? process.env;
    const url = options.prometheusUrl ?? options.url ?? env.AUDIT_PROMETHEUS_URL;
    if (!url)
      throw new TypeError(
        'PrometheusQuerySource needs a Prometheus URL (prometheusUrl option or AUDIT_PROMETHEUS_URL)',
      );
    this.client = new PrometheusClient({ ...options, url });
    this.window = options.window ?? (env.AUDIT_PROMETHEUS_WINDOW || '24h');
    if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(this.window)) throw new TypeError(`invalid PromQL duration "${this.window}"`);
    this.matchers = options.matchers ?? '';
    this.now = options.now ?? (() => new Date());
  }

  /** Not available: Prometheus stores counts, not events. */
  async queryEvents(): Promise<AuditEvent[]> {
    throw new PrometheusUnsupportedError(
      'Prometheus holds metrics, not individual events: query events with --source loki or --source journal',
    );
  }

  /** Not available: Prometheus stores counts, not events. */
  async getLeadHistory(): Promise<AuditEvent[]> {
    throw new PrometheusUnsupportedError(
      'Prometheus holds metrics, not lead histories: use --source loki or --source journal',
    );
  }

  /** The PromQL expressions of {@link getStatistics} (for docs, dashboards and tests). */
  statisticsQueries(workflow?: string): { byType: string; byWorkflow: string; errors: string } {
    const sel = this.selector(workflow);
    return {
      byType: `sum by (${PROM_LABELS.eventType}) (increase(${PROM_METRICS.events}${sel}[${this.window}]))`,
      byWorkflow: `sum by (${PROM_LABELS.workflow}) (increase(${PROM_METRICS.events}${sel}[${this.window}]))`,
      errors: `sum(increase(${PROM_METRICS.errors}${sel}[${this.window}]))`,
    };
  }

  /**
   * Event counts over the window (rounded `increase`). `leadsProcessed` is the number of
   * `lead_ingested` events (metrics do not carry lead ids); first/last event times are not known.
   */
  async getStatistics(options: { readonly workflow?: string } = {}): Promise<AuditStatistics> {
    options = checkStatisticsOptions(options);
    const q = this.statisticsQueries(options.workflow);
    const at = this.now();
    const [byTypeRows, byWorkflowRows, errorRows] = await Promise.all([
      this.client.instant(q.byType, at),
      this.client.instant(q.byWorkflow, at),
      this.client.instant(q.errors, at),
    ]);
    const byType = countsBy(byTypeRows, PROM_LABELS.eventType);
    const byWorkflow = countsBy(byWorkflowRows, PROM_LABELS.workflow);
    const totalEvents = Object.values(byType).reduce((a, b) => a + b, 0);
    return {
      totalEvents,
      leadsProcessed: byType.lead_ingested ?? 0,
      errors: errorRows.length > 0 ? roundCount(errorRows[0]?.value) : (byType.error ?? 0),
      byType,
      byWorkflow,
    };
  }

  /** The PromQL expressions of {@link getPerformanceStats}. */
  performanceQueries(operation?: string): Record<'count' | 'sum' | 'p0' | 'p50' | 'p95' | 'p99' | 'p100', string> {
    const extra = operation !== undefined ? `${PROM_LABELS.operation}=${JSON.stringify(operation)}` : '';
    const matchers = [this.matchers, extra].filter((m) => m !== '').join(',');
    const agg = `sum by (${PROM_LABELS.operation}) (increase(${PROM_METRICS.duration}${matchers ? `{${matchers}}` : ''}[${this.window}]))`;
    const quantile = (q: number): string => `histogram_quantile(${q}, ${agg})`;
    return {
      count: `histogram_count(${agg})`,
      sum: `histogram_sum(${agg})`,
      p0: quantile(0),
      p50: quantile(0.5),
      p95: quantile(0.95),
      p99: quantile(0.99),
      p100: quantile(1),
    };
  }

  /**
   * Duration statistics per operation from the native histogram. Quantiles are histogram
   * estimates: within one bucket of the exact value (≈1.1% relative with the SDK's 320-bucket
   * exponential histograms over a 32× range; see docs/stack.md). min/max are bucket bounds.
   */
  async getPerformanceStats(operation?: string): Promise<PerformanceReport> {
    const q = this.performanceQueries(operation);
    const at = this.now();
    const keys = Object.keys(q) as (keyof typeof q)[];
    const results = await Promise.all(keys.map((k) => this.client.instant(q[k], at)));
    const byOp = new Map<string, Partial<Record<keyof typeof q, number>>>();
    keys.forEach((key, i) => {
      for (const row of results[i] ?? []) {
        const op = row.labels[PROM_LABELS.operation] ?? 'unknown';
        const entry = byOp.get(op) ?? {};
        entry[key] = row.value;
        byOp.set(op, entry);
      }
    });
    const report: Record<string, PerformanceStats> = {};
    for (const op of [...byOp.keys()].sort()) {
      const v = byOp.get(op) as Partial<Record<keyof typeof q, number>>;
      const count = roundCount(v.count);
      if (count === 0) continue;
      report[op] = {
        count,
        min: v.p0 ?? Number.NaN,
        max: v.p100 ?? Number.NaN,
        avg: v.sum !== undefined && v.count ? v.sum / v.count : Number.NaN,
        p50: v.p50 ?? Number.NaN,
        p95: v.p95 ?? Number.NaN,
        p99: v.p99 ?? Number.NaN,
      };
    }
    return report;
  }

  private selector(workflow?: string): string {
    const parts = [
      this.matchers,
      workflow !== undefined ? `${PROM_LABELS.workflow}=${JSON.stringify(workflow)}` : '',
    ].filter((m) => m !== '');
    return parts.length > 0 ? `{${parts.join(',')}}` : '';
  }
}

function countsBy(rows: readonly PromSample[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    const n = roundCount(row.value);
    if (n > 0) out[row.labels[label] ?? 'unknown'] = n;
  }
  return out;
}

function roundCount(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? Math.round(value) : 0;
}
