/**
 * A bounded-memory quantile sketch for in-process performance statistics.
 *
 * Positive values go into logarithmic buckets of ratio γ = (1 + α) / (1 − α) with α = 0.01:
 * bucket i holds values in (γ^(i−1), γ^i] and is reported as 2γ^i / (γ + 1), which is within a
 * relative error α = 1 % of every value in the bucket (the DDSketch construction). Values ≤ 0 are
 * kept in a separate zero bucket. Count, sum, min and max are exact. Memory is bounded: at most
 * {@link MAX_BUCKETS} buckets; when a wider range arrives the lowest buckets are merged into one
 * (only quantiles that fall in that merged low bucket lose the 1 % guarantee — with 2048 buckets
 * of 2 % width that needs a range of more than 10^17 between the smallest and largest value).
 */

/** Relative accuracy α of every quantile estimate. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Most buckets a sketch holds. */
export const MAX_BUCKETS = 2048;

const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** Quantile sketch with exact count/sum/min/max; see the module doc for the error bound. */
export class QuantileSketch {
  private counts: number[] = [];
  /** Bucket index of `counts[0]`. */
  private offset = 0;
  private zeroCount = 0;
  private total = 0;
  private sum = 0;
  private minimum = Number.POSITIVE_INFINITY;
  private maximum = Number.NEGATIVE_INFINITY;

  /** Adds one value; non-finite values are ignored (returns false). */
  add(value: number): boolean {
    if (!Number.isFinite(value)) return false;
    this.total++;
    this.sum += value;
    if (value < this.minimum) this.minimum = value;
    if (value > this.maximum) this.maximum = value;
    if (value <= 0) {
      this.zeroCount++;
      return true;
    }
    this.addToBucket(Math.ceil(Math.log(value) / LOG_GAMMA), 1);
    return true;
  }

  /** Adds every value `other` holds (exact count/sum/min/max; buckets added bucket by bucket). */
  merge(other: QuantileSketch): void {
    if (other.total === 0) return;
    this.total += other.total;
    this.sum += other.sum;
    this.zeroCount += other.zeroCount;
    if (other.minimum < this.minimum) this.minimum = other.minimum;
    if (other.maximum > this.maximum) this.maximum = other.maximum;
    for (let i = 0; i < other.counts.length; i++) {
      const count = other.counts[i] as number;
      if (count > 0) this.addToBucket(i + other.offset, count);
    }
  }

  private addToBucket(index: number, count: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(count);
      return;
    }
    let slot = index - this.offset;
    if (slot < 0) {
      const grow = -slot;
      if (this.counts.length + grow > MAX_BUCKETS) {
        // below the kept range: count it in the lowest bucket
        (this.counts as number[])[0]! += count;
        return;
      }
      this.counts = new Array<number>(grow).fill(0).concat(this.counts);
      this.offset = index;
      slot = 0;
    } else if (slot >= this.counts.length) {
      const needed = slot + 1;
      if (needed > MAX_BUCKETS) this.collapseLow(needed - MAX_BUCKETS);
      slot = index - this.offset;
      while (this.counts.length <= slot) this.counts.push(0);
    }
    this.counts[slot]! += count;
  }

  /** Number of values added. */
  get count(): number {
    return this.total;
  }

  /** Exact statistics plus p50/p95/p99 estimates; `undefined` when empty. */
  stats(): { count: number; min: number; max: number; avg: number; p50: number; p95: number; p99: number } | undefined {
    if (this.total === 0) return undefined;
    return {
      count: this.total,
      min: this.minimum,
      max: this.maximum,
      avg: this.sum / this.total,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
    };
  }

  /**
   * Estimate of the q-quantile (0 ≤ q ≤ 1) by nearest rank ⌈q·n⌉ (1-based), clamped to the
   * exact [min, max]. `NaN` when empty.
   */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * this.total));
    let seen = this.zeroCount;
    let estimate = this.maximum;
    if (rank <= seen) estimate = Math.min(0, this.maximum);
    else {
      for (let i = 0; i < this.counts.length; i++) {
        seen += this.counts[i] as number;
        if (seen >= rank) {
          estimate = (2 * Math.pow(GAMMA, i + this.offset)) / (GAMMA + 1);
          break;
        }
      }
    }
    return Math.min(this.maximum, Math.max(this.minimum, estimate));
  }

  private collapseLow(excess: number): void {
    let merged = 0;
    for (let i = 0; i <= excess; i++) merged += this.counts[i] as number;
    this.counts = this.counts.slice(excess);
    this.counts[0] = merged;
    this.offset += excess;
  }
}
