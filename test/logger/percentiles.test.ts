import { expect } from 'chai';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { METRIC } from '../../src/events/semconv.js';
import { durationHistogramView } from '../../src/logger/metrics.js';
import {
  exponentialQuantile,
  exponentialQuantileErrorBound,
  type ExponentialBuckets,
} from '../../src/logger/exponential-quantile.js';
import { QuantileSketch } from '../../src/logger/quantile-sketch.js';
import { generateDurations } from '../../bench/workload.js';

/** Exact nearest-rank quantile of ascending values. */
function exact(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

async function exportedHistogram(values: readonly number[]): Promise<ExponentialBuckets> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ views: [durationHistogramView()], readers: [reader] });
  try {
    const histogram = provider.getMeter('test').createHistogram(METRIC.duration, { unit: 's' });
    for (const v of values) histogram.record(v, { 'orchestrator.operation': 'bench' });
    await provider.forceFlush();
    const metric = exporter.getMetrics().at(-1)?.scopeMetrics[0]?.metrics[0];
    return metric?.dataPoints[0]?.value as ExponentialBuckets;
  } finally {
    await provider.shutdown();
  }
}

describe('percentile accuracy', () => {
  for (const seed of [7, 11, 2026]) {
    it(`p50/p95/p99 from the exported exponential histogram are within 2 % of exact (log-normal 1 ms–5 s, seed ${seed})`, async () => {
      const values = generateDurations(20_000, seed);
      const h = await exportedHistogram(values);
      expect(h.count).to.equal(values.length);
      expect(h.scale, 'scale kept by maxSize').to.be.at.least(5);
      expect(exponentialQuantileErrorBound(h.scale)).to.be.below(0.011);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.95, 0.99]) {
        const want = exact(sorted, q);
        const got = exponentialQuantile(h, q);
        expect(Math.abs(got - want) / want, `q=${q}: got ${got}, exact ${want}`).to.be.at.most(0.02);
      }
    });
  }

  it('the in-process sketch is within 1 % of exact on the same workload, with exact min/max/avg', () => {
    const values = generateDurations(20_000, 99);
    const sketch = new QuantileSketch();
    for (const v of values) sketch.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    const stats = sketch.stats()!;
    expect(stats.min).to.equal(sorted[0]);
    expect(stats.max).to.equal(sorted[sorted.length - 1]);
    expect(stats.avg).to.be.closeTo(values.reduce((s, v) => s + v, 0) / values.length, 1e-12);
    for (const [q, got] of [
      [0.5, stats.p50],
      [0.95, stats.p95],
      [0.99, stats.p99],
    ] as const) {
      const want = exact(sorted, q);
      expect(Math.abs(got - want) / want, `q=${q}`).to.be.at.most(0.01);
    }
  });

  it('merging sketches gives what one sketch of all the values gives', () => {
    const values = generateDurations(5_000, 7).map((v, i) => (i % 50 === 0 ? 0 : v));
    const one = new QuantileSketch();
    const parts = [new QuantileSketch(), new QuantileSketch(), new QuantileSketch()];
    values.forEach((v, i) => {
      one.add(v);
      parts[i % 3]!.add(v);
    });
    const merged = new QuantileSketch();
    for (const part of parts) merged.merge(part);
    const { avg, ...rest } = merged.stats()!;
    const { avg: oneAvg, ...oneRest } = one.stats()!;
    expect(rest).to.deep.equal(oneRest);
    expect(avg).to.be.closeTo(oneAvg, 1e-9);
  });

  it('the sketch stays bounded over a huge range and handles zeros', () => {
    const sketch = new QuantileSketch();
    for (let i = 0; i <= 12_000; i++) sketch.add(Math.pow(10, -300 + i * 0.05));
    sketch.add(0);
    expect(sketch.count).to.equal(12002);
    expect(sketch.quantile(0)).to.equal(0);
    const p99 = sketch.quantile(0.99);
    expect(Math.abs(Math.log10(p99) - 294)).to.be.below(0.1);
  });

  it('exponentialQuantile reads zero and negative buckets and clamps to min/max', () => {
    const h: ExponentialBuckets = {
      count: 4,
      scale: 0,
      zeroCount: 1,
      positive: { offset: 1, bucketCounts: [2] },
      negative: { offset: 0, bucketCounts: [1] },
      min: -1.5,
      max: 3,
    };
    expect(exponentialQuantile(h, 0.25)).to.be.closeTo(-Math.SQRT2, 1e-12);
    expect(exponentialQuantile({ ...h, min: -1.2 }, 0.25)).to.equal(-1.2);
    expect(exponentialQuantile(h, 0.5)).to.equal(0);
    expect(exponentialQuantile(h, 1)).to.be.closeTo(2 * Math.SQRT2, 1e-12);
    expect(exponentialQuantile({ ...h, max: 2.5 }, 1)).to.equal(2.5);
    expect(exponentialQuantile({ ...h, count: 0 }, 0.5)).to.be.NaN;
  });
});
