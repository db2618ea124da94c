/**
 * In-process duration statistics per operation (seed `get_performance_stats`), one
 * {@link QuantileSketch} per operation name: exact count/min/max/avg, p50/p95/p99 within 1 %.
 * Memory is bounded: at most {@link MAX_TRACKED_OPERATIONS} names (further names are still
 * logged and sent to the histogram, but not kept here) and at most 2048 buckets per sketch.
 */
import type { PerformanceReport, PerformanceStats } from '../query/types.js';
import { QuantileSketch } from './quantile-sketch.js';

/** Most operation names kept in process. */
export const MAX_TRACKED_OPERATIONS = 1000;

/** Per-operation duration sketches. */
export class PerformanceTracker {
  private readonly sketches = new Map<string, QuantileSketch>();

  /** Adds a sample in seconds. Returns false when it was not kept (non-finite, negative, or too many names). */
  add(operation: string, seconds: number): boolean {
    if (!Number.isFinite(seconds) || seconds < 0) return false;
    let sketch = this.sketches.get(operation);
    if (sketch === undefined) {
      if (this.sketches.size >= MAX_TRACKED_OPERATIONS) return false;
      sketch = new QuantileSketch();
      this.sketches.set(operation, sketch);
    }
    return sketch.add(seconds);
  }

  /**
   * Renames every tracked operation to `rename(name)` (compliance mode: the anonymized name, so no
   * raw name stays in process memory); operations renamed alike are merged into one.
   */
  rename(rename: (name: string) => string): void {
    const before = [...this.sketches];
    this.sketches.clear();
    for (const [name, sketch] of before) {
      const renamed = rename(name);
      const kept = this.sketches.get(renamed);
      if (kept === undefined) this.sketches.set(renamed, sketch);
      else kept.merge(sketch);
    }
  }

  /** Statistics of every operation, or only `operation` (an empty report when it has no samples). */
  report(operation?: string): PerformanceReport {
    const out: Record<string, PerformanceStats> = {};
    const names = operation === undefined ? [...this.sketches.keys()].sort() : [operation];
    for (const name of names) {
      const stats = this.sketches.get(name)?.stats();
      if (stats) out[name] = stats;
    }
    return out;
  }
}
