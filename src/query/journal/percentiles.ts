/**
 * Exact duration statistics from the sample values (journal scale: every sample is at hand).
 * Percentiles interpolate linearly between the closest ranks (the common "type 7" definition,
 * as NumPy's default), so p50 of [1, 2] is 1.5.
 */
import type { PerformanceStats } from '../types.js';

/** The q-quantile (0 ≤ q ≤ 1) of ascending-sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** count/min/max/avg/p50/p95/p99 of a non-empty list of values (sorted in place). */
export function performanceStatsOf(values: number[]): PerformanceStats {
  values.sort((a, b) => a - b);
  let sum = 0;
  for (const v of values) sum += v;
  return {
    count: values.length,
    min: values[0] as number,
    max: values[values.length - 1] as number,
    avg: sum / values.length,
    p50: quantileSorted(values, 0.5),
    p95: quantileSorted(values, 0.95),
    p99: quantileSorted(values, 0.99),
  };
}
