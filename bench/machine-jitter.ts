/**
 * The machine's own tail, as a control for the default-path comparison: a fixed computation that
 * allocates nothing and calls nothing, timed call by call exactly like the caller-cost pass
 * (`process.hrtime.bigint()` around each call, chunks of 256 calls with a yield to the event loop
 * between them). Whatever p99/p50 it shows comes from the machine (the scheduler, other load, a
 * virtual machine's host), not from any logger. Prints one JSON line.
 *
 * Usage: `node dist/bench/machine-jitter.js [calls] [targetUs]` (default 50000 calls of about 10 µs).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Result of one control run. */
export interface JitterResult {
  readonly p50Us: number;
  readonly p99Us: number;
  /** Share of the calls slower than 3× the median. */
  readonly slowShare: number;
}

const CHUNK = 256;
let sink = 0;

/** `iterations` rounds of arithmetic the optimizer cannot drop (the result feeds the next call). */
function work(iterations: number): void {
  let s = sink;
  for (let k = 0; k < iterations; k++) s = (s * 1103515245 + k) % 2147483647;
  sink = s;
}

/** Iterations that take about `targetUs` on this machine, measured over a warm-up. */
function calibrate(targetUs: number): number {
  let iterations = 1000;
  for (let round = 0; round < 20; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) work(iterations);
    const perCall = Number(process.hrtime.bigint() - start) / 1000 / 100;
    iterations = Math.max(100, Math.round((iterations * targetUs) / Math.max(0.01, perCall)));
  }
  return iterations;
}

async function main(): Promise<void> {
  const calls = Math.max(1000, Number(process.argv[2] ?? '50000'));
  const targetUs = Math.max(1, Number(process.argv[3] ?? '10'));
  const iterations = calibrate(targetUs);
  const lat = new Float64Array(calls);
  for (let i = 0; i < calls; i += CHUNK) {
    const end = Math.min(calls, i + CHUNK);
    for (let j = i; j < end; j++) {
      const s = process.hrtime.bigint();
      work(iterations);
      lat[j] = Number(process.hrtime.bigint() - s) / 1000;
    }
    await yieldToLoop();
  }
  const sorted = Float64Array.from(lat).sort();
  const p50 = sorted[Math.floor(calls * 0.5)] as number;
  const p99 = sorted[Math.min(calls - 1, Math.floor(calls * 0.99))] as number;
  let slow = 0;
  for (const v of lat) if (v > 3 * p50) slow++;
  const result: JitterResult = { p50Us: p50, p99Us: p99, slowShare: slow / calls };
  console.log(JSON.stringify(result));
}

await main();
