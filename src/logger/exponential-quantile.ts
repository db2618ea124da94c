/**
 * Quantiles read from an OTel exponential histogram (the `orchestrator.operation.duration`
 * data points, or a Prometheus native histogram built from them).
 *
 * An exponential histogram of scale `s` has base b = 2^(2^−s); positive bucket `offset + k`
 * holds values in (b^(offset+k), b^(offset+k+1)]. The q-quantile is estimated by nearest rank
 * ⌈q·n⌉: find the bucket holding that rank and return its geometric midpoint b^(index + ½),
 * clamped to the recorded min/max. Every value of the bucket is within a factor √b of the
 * midpoint, so the relative error is at most √b − 1 (1.09 % at scale 5, 0.54 % at scale 6).
 * The same arithmetic works on a Prometheus native histogram (schema = scale).
 */

/** The parts of an exponential histogram data point this module reads (sdk-metrics `ExponentialHistogram`). */
export interface ExponentialBuckets {
  readonly count: number;
  readonly scale: number;
  readonly zeroCount: number;
  readonly positive: { readonly offset: number; readonly bucketCounts: readonly number[] };
  readonly negative: { readonly offset: number; readonly bucketCounts: readonly number[] };
  readonly min?: number;
  readonly max?: number;
}

/** Largest relative error of {@link exponentialQuantile} for positive values at `scale`: √b − 1. */
export function exponentialQuantileErrorBound(scale: number): number {
  return Math.pow(2, Math.pow(2, -scale) / 2) - 1;
}

/** Estimated q-quantile (0 ≤ q ≤ 1) of the values in `h`; `NaN` when empty. */
export function exponentialQuantile(h: ExponentialBuckets, q: number): number {
  if (!(h.count > 0)) return Number.NaN;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * h.count));
  const base = Math.pow(2, Math.pow(2, -h.scale));
  let seen = 0;
  let estimate: number | undefined;
  // negative buckets, most negative first: bucket j holds [-b^(j+1), -b^j)
  const neg = h.negative.bucketCounts;
  for (let k = neg.length - 1; k >= 0 && estimate === undefined; k--) {
    seen += neg[k] as number;
    if (seen >= rank) estimate = -Math.pow(base, h.negative.offset + k + 0.5);
  }
  if (estimate === undefined) {
    seen += h.zeroCount;
    if (seen >= rank) estimate = 0;
  }
  const pos = h.positive.bucketCounts;
  for (let k = 0; k < pos.length && estimate === undefined; k++) {
    seen += pos[k] as number;
    if (seen >= rank) estimate = Math.pow(base, h.positive.offset + k + 0.5);
  }
  if (estimate === undefined) estimate = h.max ?? Number.NaN;
  if (h.min !== undefined && estimate < h.min) estimate = h.min;
  if (h.max !== undefined && estimate > h.max) estimate = h.max;
  return estimate;
}
