/**
 * The SDK's metric instruments (names in `src/events/semconv.ts` METRIC):
 * - `orchestrator.audit.events` {orchestrator.event.type, orchestrator.workflow} and
 *   `orchestrator.audit.errors` {orchestrator.error.type, orchestrator.workflow}: synchronous
 *   monotonic Counters. A series' first event is added to the SDK counter at once, so the SDK
 *   gives the series that event's time as its start time, and Prometheus (with
 *   `created-timestamp-zero-ingestion`) stores a zero there: `increase()` counts a process's first
 *   events. Later events bump an in-process total (one nested-Map lookup, no attribute-set hash in
 *   the SDK) that is handed to the SDK counter at each collection ({@link AuditMetrics.flush}).
 * - `orchestrator.operation.duration` (unit `s`) {orchestrator.operation, orchestrator.workflow}:
 *   histogram, exponential buckets via {@link durationHistogramView}.
 * - `orchestrator.audit.failures` {audit.failure.kind}, `orchestrator.audit.seals` {audit.seal.reason}.
 */
import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { ATTR, DURATION_HISTOGRAM_MAX_SIZE, METRIC } from '../events/semconv.js';

export { DURATION_HISTOGRAM_MAX_SIZE };

/** Most distinct attribute sets kept per counter (under the SDK default cardinality limit of 2000); beyond it samples go to an overflow series. */
export const MAX_COUNTER_SERIES = 1000;

/** Attribute key of the overflow series (OTel SDK convention). */
const OVERFLOW_ATTR = 'otel.metric.overflow';

/**
 * Observable gauge whose callback hands the batched counts to the SDK counters at collection
 * time. It never observes a value, so no exporter ever sees it.
 */
const FLUSH_INSTRUMENT = 'orchestrator.audit.counter_flush';
const FLUSH_DESCRIPTION =
  'Internal: hands batched audit event/error counts to their counters at collection time; reports no value';

/** The metrics View giving `orchestrator.operation.duration` its exponential bucket layout; add it to your own MeterProvider. */
export function durationHistogramView(): ViewOptions {
  return {
    instrumentName: METRIC.duration,
    aggregation: {
      type: AggregationType.EXPONENTIAL_HISTOGRAM,
      options: { maxSize: DURATION_HISTOGRAM_MAX_SIZE, recordMinMax: true },
    },
  };
}

/** One counter series: its attributes, its running total, and how much of that the SDK counter has. */
interface Series {
  readonly attributes: Attributes;
  total: number;
  handed: number;
}

/**
 * A monotonic counter kept as in-process totals in front of a synchronous SDK Counter.
 * The first event of a series goes to the SDK counter at once, so the SDK starts the series then
 * (its start time is that event's time); later events only bump the in-process total, and
 * {@link flush} hands the difference to the SDK counter when metrics are collected.
 */
class BatchedCounter {
  /** Series by first then second attribute value (nested maps: no key string built per call). */
  private readonly byFirst = new Map<string, Map<string, Series>>();
  private readonly series: Series[] = [];
  private overflow: Series | undefined;

  constructor(
    private readonly counter: Counter,
    private readonly firstKey: string,
    private readonly secondKey: string,
  ) {}

  add(first: string, second: string): void {
    let inner = this.byFirst.get(first);
    const entry = inner?.get(second);
    if (entry !== undefined) {
      entry.total++;
      return;
    }
    if (this.series.length >= MAX_COUNTER_SERIES) {
      if (this.overflow !== undefined) this.overflow.total++;
      else this.overflow = this.start({ [OVERFLOW_ATTR]: true });
      return;
    }
    if (inner === undefined) {
      inner = new Map();
      this.byFirst.set(first, inner);
    }
    const created = this.start({ [this.firstKey]: first, [this.secondKey]: second });
    inner.set(second, created);
    this.series.push(created);
  }

  /** Hands every series' uncounted events to the SDK counter (called at collection time). */
  flush(): void {
    for (const entry of this.series) this.hand(entry);
    if (this.overflow !== undefined) this.hand(this.overflow);
  }

  total(): number {
    let sum = this.overflow?.total ?? 0;
    for (const entry of this.series) sum += entry.total;
    return sum;
  }

  /** A new series holding its first event, already recorded in the SDK counter. */
  private start(attributes: Attributes): Series {
    const created: Series = { attributes, total: 1, handed: 0 };
    this.hand(created);
    return created;
  }

  private hand(entry: Series): void {
    const delta = entry.total - entry.handed;
    if (delta <= 0) return;
    entry.handed = entry.total;
    try {
      this.counter.add(delta, entry.attributes);
    } catch {
      // the metrics SDK does not throw on add; guard anyway
    }
  }
}

/** The instruments of one AuditLogger. Methods never throw. */
export class AuditMetrics {
  private readonly events: BatchedCounter;
  private readonly errors: BatchedCounter;
  private readonly duration: Histogram;
  private readonly failures: Counter;
  private readonly seals: Counter;

  /**
   * `label` is applied to every attribute value taken from audit data (event type, error type,
   * operation, workflow) before it is recorded: the AuditLogger passes its PII anonymizer, so that
   * with compliance mode on no PII leaves the process as a metric attribute.
   */
  constructor(
    meter: Meter,
    private readonly label: (value: string) => string = (value) => value,
  ) {
    const events = meter.createCounter(METRIC.events, {
      description: 'Audit events emitted, by event type and workflow',
      unit: '{event}',
    });
    const errors = meter.createCounter(METRIC.errors, {
      description: 'Error events emitted, by error type and workflow',
      unit: '{error}',
    });
    this.events = new BatchedCounter(events, ATTR.eventType, ATTR.workflow);
    this.errors = new BatchedCounter(errors, ATTR.errorType, ATTR.workflow);
    // Observable callbacks run at each collection before the SDK reads its synchronous
    // instruments, so the counts handed over here are in the same export.
    meter.createObservableGauge(FLUSH_INSTRUMENT, { description: FLUSH_DESCRIPTION }).addCallback(() => this.flush());
    this.duration = meter.createHistogram(METRIC.duration, {
      description: 'Duration of tracked operations',
      unit: 's',
    });
    this.failures = meter.createCounter(METRIC.failures, {
      description: 'Internal audit failures by kind',
      unit: '{failure}',
    });
    this.seals = meter.createCounter(METRIC.seals, { description: 'Seal records written, by reason', unit: '{seal}' });
  }

  /** Counts one audit event. */
  event(type: string, workflow: string): void {
    this.events.add(this.label(type), this.label(workflow));
  }

  /** Counts one error event. */
  error(errorType: string, workflow: string): void {
    this.errors.add(this.label(errorType), this.label(workflow));
  }

  /** Records one duration sample in seconds. */
  durationSample(operation: string, workflow: string, seconds: number): void {
    try {
      this.duration.record(seconds, { [ATTR.operation]: this.label(operation), [ATTR.workflow]: this.label(workflow) });
    } catch {
      // the metrics SDK does not throw on record; guard anyway
    }
  }

  /** Counts one internal failure. */
  failure(kind: string, times = 1): void {
    try {
      this.failures.add(times, { 'audit.failure.kind': kind });
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

  /** Hands the batched event and error counts to the SDK counters (each collection does this). */
  flush(): void {
    this.events.flush();
    this.errors.flush();
  }

  /** Events counted so far (all series). */
  eventTotal(): number {
    return this.events.total();
  }
}
