/**
 * What a SIGKILLed journal writer must have left on disk. A writer reports `<last seq> <Date.now()>`
 * after every tick of its event loop; the journal promises that a record is written at most the
 * flush interval after it was emitted. So every seq the writer reported at least the flush
 * interval (plus a margin for timer latency and the write itself) before the kill must be on disk.
 * The bound holds while the writer runs: a writer starved of CPU before the kill (its last tick
 * report is older than one tick) is held to it from its last report, not from the kill.
 */

/** One tick report of a writer: the last seq it emitted, and when (ms since epoch). */
export type TickReport = readonly [seq: number, at: number];

/** How the writer was run. */
export interface KillBoundOptions {
  readonly flushIntervalMs: number;
  /** The period of the writer's tick reports. */
  readonly tickMs: number;
  /** Allowance for timer latency and the write (ms). Default 50. */
  readonly marginMs?: number;
}

/** The highest seq that must be on disk after a kill at `killedAt` (0: none yet). */
export function mustHaveSeq(reports: readonly TickReport[], killedAt: number, o: KillBoundOptions): number {
  const lastReportAt = reports.filter(([, t]) => t <= killedAt).at(-1)?.[1] ?? killedAt;
  const reference = Math.min(killedAt, lastReportAt + o.tickMs);
  const before = reports.filter(([, t]) => t <= reference - o.flushIntervalMs - (o.marginMs ?? 50));
  return before.at(-1)?.[0] ?? 0;
}
