/**
 * `npm run bench`: first the default-path comparison with pino (`default-path.js`: caller cost,
 * to-disk rate and memory of `logLeadIngested` with journal, signing and compliance mode vs pino
 * with `redact` on its asynchronous file destination). Then it runs each variant in its own Node process on the same workload and prints
 * events/s, p50/p99 per-call latency, heap growth and the ratios (b)/(c) and (b)/(a), plus the
 * floor (d): what serializing and MACing each record costs on top of raw OTel, with nothing else.
 *
 * The variants run interleaved for BENCH_ROUNDS rounds (default 3: a b c, a b c, …) and each
 * figure is the median over the rounds, so a burst of load from elsewhere on a shared machine
 * moves one round, not the result. BENCH_EVENTS sets the events per run (default 100000);
 * BENCH_PIN=1 pins every run to one CPU with taskset: CPU 0, or BENCH_CPU=<n>. Then `pii.js` prints the
 * PII detector figures (see there; BENCH_PII_BASELINE compares with another build).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './harness.js';
import { median } from './stats.js';
import type { VariantName } from './variants.js';

const VARIANTS: readonly VariantName[] = ['a-raw-otel', 'b-audit-pipeline', 'c-pino-redact', 'd-otel-sign-floor'];
const events = Number(process.env.BENCH_EVENTS ?? '100000');
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? '3'));
const script = fileURLToPath(new URL('./run-variant.js', import.meta.url));
const pinCpu =
  process.env.BENCH_CPU !== undefined && process.env.BENCH_CPU !== '' ? String(Number(process.env.BENCH_CPU)) : '0';
const pin = existsSync('/usr/bin/taskset') && process.env.BENCH_PIN === '1';

type Row = Measurement & { delivered: number };

function runOne(name: VariantName): Row {
  const args = [...(pin ? ['-c', pinCpu, process.execPath] : []), script, name, String(events)];
  const out = execFileSync(pin ? '/usr/bin/taskset' : process.execPath, args, { encoding: 'utf8', timeout: 180_000 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Row;
}

// the default path against pino, in processes of its own
console.log(
  execFileSync(process.execPath, [fileURLToPath(new URL('./default-path.js', import.meta.url))], {
    encoding: 'utf8',
    timeout: 1_800_000,
  }).trimEnd(),
);

const runs = new Map<VariantName, Row[]>(VARIANTS.map((v) => [v, []]));
for (let round = 0; round < rounds; round++) {
  for (const name of VARIANTS) runs.get(name)?.push(runOne(name));
}

/** Median of every figure of one variant over the rounds; `delivered` is the smallest seen (a loss in any round shows). */
function summary(name: VariantName): Row {
  const rows = runs.get(name) as Row[];
  const pick = (f: (r: Row) => number): number => median(rows.map(f));
  return {
    name,
    events,
    eventsPerSec: pick((r) => r.eventsPerSec),
    eventsPerCpuSec: pick((r) => r.eventsPerCpuSec),
    p50Us: pick((r) => r.p50Us),
    p99Us: pick((r) => r.p99Us),
    heapGrowthBytes: pick((r) => r.heapGrowthBytes),
    delivered: Math.min(...rows.map((r) => r.delivered)),
  };
}

const fmt = (n: number, d = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const a = summary('a-raw-otel');
const b = summary('b-audit-pipeline');
const c = summary('c-pino-redact');
const d = summary('d-otel-sign-floor');
console.log(
  `audit SDK benchmark — ${fmt(events)} lead_ingested events per run (lead data with PII), node ${process.version}` +
    `${pin ? `, pinned to CPU ${pinCpu}` : ''}; median of ${rounds} interleaved round(s)`,
);
console.log('variant              events/s  events/CPU-s    p50 µs   p99 µs   heap growth MiB   delivered');
for (const r of [a, b, c, d]) {
  console.log(
    `${r.name.padEnd(18)} ${fmt(r.eventsPerSec).padStart(10)} ${fmt(r.eventsPerCpuSec).padStart(13)} ${fmt(r.p50Us, 2).padStart(9)} ${fmt(r.p99Us, 2).padStart(8)} ${fmt(r.heapGrowthBytes / 1048576, 1).padStart(17)} ${fmt(r.delivered).padStart(11)}`,
  );
}
// ratios per round (same conditions), then their median
const perRound = (f: (r: Row) => number, x: VariantName, y: VariantName): number =>
  median((runs.get(x) as Row[]).map((r, i) => f(r) / f((runs.get(y) as Row[])[i] as Row)));
const wall = (r: Row): number => r.eventsPerSec;
const cpu = (r: Row): number => r.eventsPerCpuSec;
const bc = perRound(wall, 'b-audit-pipeline', 'c-pino-redact');
console.log(
  `ratios (median of per-round ratios), wall-clock events/s: (b)/(c) ${fmt(bc, 2)}, (b)/(a) ${fmt(perRound(wall, 'b-audit-pipeline', 'a-raw-otel'), 2)}; ` +
    `per CPU-second: (b)/(c) ${fmt(perRound(cpu, 'b-audit-pipeline', 'c-pino-redact'), 2)}, (b)/(a) ${fmt(perRound(cpu, 'b-audit-pipeline', 'a-raw-otel'), 2)}`,
);
console.log(
  `floor (d) = (a) + JSON.stringify + HMAC-SHA256 per record, nothing else: ${fmt(d.eventsPerSec)} events/s, ` +
    `(d)/(c) ${fmt(perRound(wall, 'd-otel-sign-floor', 'c-pino-redact'), 2)}, (b)/(d) ${fmt(perRound(wall, 'b-audit-pipeline', 'd-otel-sign-floor'), 2)}`,
);
// the PII detectors (worst hostile input per KB, typical lead record), in a process of their own
console.log(
  execFileSync(process.execPath, [fileURLToPath(new URL('./pii.js', import.meta.url))], {
    encoding: 'utf8',
    timeout: 600_000,
  }).trimEnd(),
);
// public-key seals against HMAC per record: cost per record and per seal, in a process of its own
console.log(
  execFileSync(process.execPath, [fileURLToPath(new URL('./seals.js', import.meta.url))], {
    encoding: 'utf8',
    timeout: 600_000,
  }).trimEnd(),
);
// the journal shipper's rate beside the journal's write rate, in a process of its own
console.log(
  execFileSync(process.execPath, [fileURLToPath(new URL('./shipper.js', import.meta.url))], {
    encoding: 'utf8',
    timeout: 600_000,
  }).trimEnd(),
);
