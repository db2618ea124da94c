/**
 * The SDK's metric instruments (names in `src/events/semconv.ts` METRIC):
 * - `orchestrator.audit.events` {orchestrator.event.type, orchestrator.workflow} and
 *   `orchestrator.audit.errors` {orchestrator.error.type, orchestrator.workflow}: monotonic
 *   counters. They are kept as in-process totals and reported through observable counters at
 *   collection time, so a helper call costs one Map lookup instead of an attribute-set hash in the
 *   metrics SDK (the exported data is the same cumulative Sum a synchronous counter gives).
 * - `orchestrator.operation.duration` (unit `s`) {orchestrator.operation, orchestrator.workflow}:
 *   histogram, exponential buckets via {@link durationHistogramView}.
 * - `orchestrator.audit.failures` {audit.failure.kind}, `orchestrator.audit.seals` {audit.seal.reason}.
 */
import type { Attributes, Counter, Histogram, Meter, ObservableResult } from '@opentelemetry/api';
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { ATTR, METRIC } from '../events/semconv.js';

/**
 * Most buckets of the duration histogram. 512 buckets keep scale 5 (32 buckets per doubling,
 * base 2^(1/32)) over any range of up to 16 doublings, e.g. 1 ms – 65 s, so quantiles read from
 * it are within 1.09 % (see `exponentialQuantileErrorBound`). The SDK default (160) would drop to
 * scale 3 (4.4 %) on a 1 ms – 5 s workload.
 */
export const DURATION_HISTOGRAM_MAX_SIZE = 512;

/** Most distinct attribute sets kept per counter (under the SDK default cardinality limit of 2000); beyond it samples go to an overflow series. */
export const MAX_COUNTER_SERIES = 1000;

/** Attribute key of the overflow series (OTel SDK convention). */
const OVERFLOW_ATTR = 'otel.metric.overflow';

/** The metrics View giving `orchestrator.operation.duration` its exponential bucket layout; add it to your own MeterProvider. */
export function durationHistogramView(): ViewOptions {
  return {
    instrumentName: METRIC.duration,
    aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: DURATION_HISTOGRAM_MAX_SIZE, recordMinMax: true } },
  };
}

/** One counter series. */
interface Series {
  readonly attributes: Attributes;
  value: number;
}

/** In-process monotonic totals by attribute set, reported through an observable counter. */
class CounterTotals {
  /** Series by first then second attribute value (nested maps: no key string built per call). */
  private readonly byFirst = new Map<string, Map<string, Series>>();
  private readonly series: Series[] = [];
  private overflow: Series | undefined;

  constructor(
    private readonly firstKey: string,
    private readonly secondKey: string,
  ) {}

  add(first: string, second: string): void {
    let inner = this.byFirst.get(first);
    const entry = inner?.get(second);
    if (entry !== undefined) {
      entry.value++;
      return;
    }
    if (this.series.length >= MAX_COUNTER_SERIES) {
      if (this.overflow !== undefined) this.overflow.value++;
      else this.overflow = { attributes: { [OVERFLOW_ATTR]: true }, value: 1 };
      return;
    }
    if (inner === undefined) {
      inner = new Map();
      this.byFirst.set(first, inner);
    }
    const created: Series = { attributes: { [this.firstKey]: first, [this.secondKey]: second }, value: 1 };
    inner.set(second, created);
    this.series.push(created);
  }

  observe(result: ObservableResult): void {
    for (const entry of this.series) result.observe(entry.value, entry.attributes);
    if (this.overflow !== undefined) result.observe(this.overflow.value, this.overflow.attributes);
  }

  total(): number {
    let sum = this.overflow?.value ?? 0;
    for (const entry of this.series) sum += entry.value;
    return sum;
  }
}

/** The instruments of one AuditLogger. Methods never throw. */
export class AuditMetrics {
  private readonly events = new CounterTotals(ATTR.eventType, ATTR.workflow);
  private readonly errors = new CounterTotals(ATTR.errorType, ATTR.workflow);
  private readonly duration: Histogram;
  private readonly failures: Counter;
  private readonly seals: Counter;

  constructor(meter: Meter) {
    meter
      .createObservableCounter(METRIC.events, { description: 'Audit events emitted, by event type and workflow', unit: '{event}' })
      .addCallback((result) => this.events.observe(result));
    meter
      .createObservableCounter(METRIC.errors, { description: 'Error events emitted, by error type and workflow', unit: '{error}' })
      .addCallback((result) => this.errors.observe(result));
    this.duration = meter.createHistogram(METRIC.duration, { description: 'Duration of tracked operations', unit: 's' });
    this.failures = meter.createCounter(METRIC.failures, { description: 'Internal audit failures by kind', unit: '{failure}' });
    this.seals = meter.createCounter(METRIC.seals, { description: 'Seal records written, by reason', unit: '{seal}' });
  }

  /** Counts one audit event. */
  event(type: string, workflow: string): void {
    this.events.add(type, workflow);
  }

  /** Counts one error event. */
  error(errorType: string, workflow: string): void {
    this.errors.add(errorType, workflow);
  }

  /** Records one duration sample in seconds. */
  durationSample(operation: string, workflow: string, seconds: number): void {
    try {
      this.duration.record(seconds, { [ATTR.operation]: operation, [ATTR.workflow]: workflow });
    } catch {
      // the metrics SDK does not throw on record; guard anyway
    }
  }

  /** Counts one internal failure. */
  failure(kind: string): void {
    try {
      this.failures.add(1, { 'audit.failure.kind': kind });
    } catch {
      // see durationSample
    }
  }

  /** Counts one seal record. */
  seal(reason: string): void {
    try {
      this.seals.add(1, { 'audit.seal.reason': reason });
    } catch {
      // see durationSample
    }
  }

  /** Events counted so far (all series). */
  eventTotal(): number {
    return this.events.total();
  }
}
