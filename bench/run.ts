/**
 * `npm run bench`: runs each variant in its own Node process (pinned to CPU 0 with taskset when
 * BENCH_PIN=1) on the same workload and prints events/s, p50/p99 per-call latency, heap growth and
 * the ratios (b)/(c) and (b)/(a). Set BENCH_EVENTS to change the event count (default 100000).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './harness.js';
import type { VariantName } from './variants.js';

const VARIANTS: readonly VariantName[] = ['a-raw-otel', 'b-audit-pipeline', 'c-pino-redact'];
const events = Number(process.env.BENCH_EVENTS ?? '100000');
const script = fileURLToPath(new URL('./run-variant.js', import.meta.url));
const pin = existsSync('/usr/bin/taskset') && process.env.BENCH_PIN === '1';

type Row = Measurement & { delivered: number };

function runOne(name: VariantName): Row {
  const args = [...(pin ? ['-c', '0', process.execPath] : []), script, name, String(events)];
  const out = execFileSync(pin ? '/usr/bin/taskset' : process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Row;
}

const rows = VARIANTS.map(runOne);
const by = (n: VariantName): Row => rows.find((r) => r.name === n) as Row;
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`audit SDK benchmark — ${fmt(events)} lead_ingested events per variant (lead data with PII), node ${process.version}${pin ? ', pinned to CPU 0' : ''}`);
console.log('variant              events/s  events/CPU-s    p50 µs   p99 µs   heap growth MiB   delivered');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(18)} ${fmt(r.eventsPerSec).padStart(10)} ${fmt(r.eventsPerCpuSec).padStart(13)} ${fmt(r.p50Us, 2).padStart(9)} ${fmt(r.p99Us, 2).padStart(8)} ${fmt(r.heapGrowthBytes / 1048576, 1).padStart(17)} ${fmt(r.delivered).padStart(11)}`,
  );
}
const a = by('a-raw-otel');
const b = by('b-audit-pipeline');
const c = by('c-pino-redact');
console.log(
  `ratios, wall-clock events/s: (b)/(c) ${fmt(b.eventsPerSec / c.eventsPerSec, 2)}, (b)/(a) ${fmt(b.eventsPerSec / a.eventsPerSec, 2)}; ` +
    `per CPU-second: (b)/(c) ${fmt(b.eventsPerCpuSec / c.eventsPerCpuSec, 2)}, (b)/(a) ${fmt(b.eventsPerCpuSec / a.eventsPerCpuSec, 2)}`,
);
console.log(`targets: (b) ≥ 150,000 events/s: ${b.eventsPerSec >= 150_000 ? 'met' : 'NOT met'}; (b) ≥ 0.7×(c): ${b.eventsPerSec >= 0.7 * c.eventsPerSec ? 'met' : 'NOT met'}; (b) p99 ≤ 30 µs: ${b.p99Us <= 30 ? 'met' : 'NOT met'}`);
