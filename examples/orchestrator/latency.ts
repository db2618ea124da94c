/** Simulated network latency of the fake services (zero in tests). */
import type { SeededRandom } from './random.js';

/** A latency range in milliseconds; `[0, 0]` means no waiting at all. */
export type LatencyRange = readonly [min: number, max: number];

/** Waits a random time in `range` (drawn from `random`, so the draw sequence stays deterministic). */
export async function simulateLatency(random: SeededRandom, range: LatencyRange): Promise<void> {
  const ms = range[0] + random.next() * (range[1] - range[0]);
  if (ms >= 1) await new Promise((resolve) => setTimeout(resolve, ms));
}
