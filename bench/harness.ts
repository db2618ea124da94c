/**
 * Benchmark harness: `measure(name, call, n)` times `n` calls of `call(i)` in two passes — a
 * throughput pass (no per-call timers) and a latency pass (each call timed with
 * `process.hrtime.bigint`) — yielding to the event loop every {@link CHUNK} calls so batch
 * processors and async destinations can drain (as they would between orchestrator steps).
 * Heap growth is heapUsed after a forced GC at the end minus heapUsed after a forced GC at the start.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Calls between two yields to the event loop. */
export const CHUNK = 256;

/** Result of one {@link measure}. */
export interface Measurement {
  readonly name: string;
  /** Calls in the throughput pass. */
  readonly events: number;
  readonly eventsPerSec: number;
  /** Calls per second of process CPU time (user + system) in the throughput pass: less sensitive to other load on a shared machine. */
  readonly eventsPerCpuSec: number;
  /** Per-call latency percentiles of the latency pass, microseconds. */
  readonly p50Us: number;
  readonly p99Us: number;
  /** heapUsed growth over both passes (after GC), bytes. */
  readonly heapGrowthBytes: number;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function collect(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/**
 * Measures `call` over `n` calls (after `n/10` warm-up calls). `settle` runs after each pass
 * (e.g. flush the pipeline) and is included in the throughput time.
 */
export async function measure(
  name: string,
  call: (i: number) => void,
  n: number,
  settle: () => Promise<void> = async () => {},
): Promise<Measurement> {
  for (let i = 0; i < Math.floor(n / 10); i++) {
    call(i);
    if (i % CHUNK === CHUNK - 1) await yieldToLoop();
  }
  await settle();
  const heapBefore = collect();

  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += CHUNK) {
    const end = Math.min(n, i + CHUNK);
    for (let j = i; j < end; j++) call(j);
    await yieldToLoop();
  }
  await settle();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const latencyN = Math.min(n, 50_000);
  const lat = new Float64Array(latencyN);
  for (let i = 0; i < latencyN; i += CHUNK) {
    const end = Math.min(latencyN, i + CHUNK);
    for (let j = i; j < end; j++) {
      const t0 = process.hrtime.bigint();
      call(n + j);
      lat[j] = Number(process.hrtime.bigint() - t0) / 1000;
    }
    await yieldToLoop();
  }
  await settle();
  const heapGrowthBytes = collect() - heapBefore;
  lat.sort();
  return {
    name,
    events: n,
    eventsPerSec: n / seconds,
    eventsPerCpuSec: n / cpuSeconds,
    p50Us: percentile(lat, 0.5),
    p99Us: percentile(lat, 0.99),
    heapGrowthBytes,
  };
}
