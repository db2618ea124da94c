/**
 * PII detector benchmark (part of `npm run bench`, or alone: `node dist/bench/pii.js`): CPU time
 * per KB (best of 5 rounds of 20 scans; 1 scan for the baseline, which can be slow) of the hostile
 * shapes (see `test/pii/hostile-shapes.ts`), and per typical lead record through a real
 * LoggerProvider with the PiiAnonymizingProcessor (minus the same provider with a no-op
 * processor). Each record figure is measured in a fresh Node process (so the hostile scans do not
 * shape what the JIT made of the detectors), BENCH_PII_ROUNDS times (default 3, interleaved with
 * the baseline), and the median is printed. With `BENCH_PII_BASELINE=<dist directory of another
 * build>` (`bash bench/pii-baseline.sh <commit>` builds one) the same figures of that build are
 * measured in the same run and printed side by side, with the ratio.
 */
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { HOSTILE_SHAPES } from '../test/pii/hostile-shapes.js';
import { median } from './stats.js';

interface PiiModule {
  PiiDetectors: new () => { find(text: string): unknown };
  PiiAnonymizingProcessor: new (options?: Record<string, unknown>) => LogRecordProcessor;
}

/** Characters of each hostile text (8 KB: the old scanners took up to a second on it). */
const HOSTILE_CHARS = 8192;
const RECORDS = Number(process.env.BENCH_PII_RECORDS ?? '50000');

const noop: LogRecordProcessor = { onEmit: () => {}, forceFlush: async () => {}, shutdown: async () => {} };

function cpu<T>(f: () => T): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** Smallest CPU µs per KB of `find` on `text` over 5 rounds of `reps` scans each. */
function perKb(mod: PiiModule, text: string, reps: number): number {
  const d = new mod.PiiDetectors();
  d.find(text);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    best = Math.min(
      best,
      cpu(() => {
        for (let i = 0; i < reps; i++) d.find(text);
      }) / reps,
    );
  }
  return best / (text.length / 1024);
}

const NAMES = ['Jane Doe', 'Li Wei', 'Amara Okafor', 'Lukas Müller', 'Sofia Rossi', 'Mateo García', 'Aiko Tanaka'];
const COMPANIES = ['Acme Corp', 'Globex GmbH', 'Initech', 'Umbrella SA', 'Stark Industries', 'Wayne Enterprises'];

function lead(i: number): Record<string, unknown> {
  return {
    'orchestrator.event.type': 'lead_ingested',
    'orchestrator.lead.id': `LEAD-${String(i).padStart(6, '0')}`,
    'orchestrator.workflow': 'inbound-sales',
    'orchestrator.lead.source': 'web_form',
    'orchestrator.lead.data': {
      name: NAMES[i % NAMES.length],
      email: `jane.doe${i % 500}@example.com`,
      phone: `+49 30 ${1000000 + ((i * 7919) % 8999999)}`,
      company: COMPANIES[i % COMPANIES.length],
      amount: 1234.56,
      note: `call back after ${i % 12} pm re order ORD-2026-${String(i).padStart(6, '0')}`,
    },
    'orchestrator.route.destination': 'sales-team-emea',
    'orchestrator.operation': 'ingest',
    'orchestrator.duration_s': 0.0123,
  };
}

/** CPU µs per typical lead record spent in the PII processor (emit with it minus emit with a no-op). */
function perRecord(mod: PiiModule): number {
  const run = (processor: LogRecordProcessor): number => {
    const logger = new LoggerProvider({ processors: [processor] }).getLogger('bench');
    const records = Array.from({ length: 1000 }, (_, i) => lead(i));
    const emit = (i: number): void =>
      logger.emit({
        eventName: 'orchestrator.lead.ingested',
        body: `Lead LEAD-${String(i).padStart(6, '0')} ingested from web_form at 2026-11-26T18:56:08.123Z`,
        attributes: records[i % 1000] as never,
      });
    for (let i = 0; i < 5000; i++) emit(i);
    let best = Infinity;
    for (let r = 0; r < 3; r++)
      best = Math.min(
        best,
        cpu(() => {
          for (let i = 0; i < RECORDS; i++) emit(i);
        }),
      );
    return best / RECORDS;
  };
  const base = run(noop);
  return run(new mod.PiiAnonymizingProcessor()) - base;
}

async function load(dist: string | undefined): Promise<PiiModule> {
  const at = (file: string): string =>
    dist === undefined
      ? new URL(`../src/processors/pii/${file}`, import.meta.url).href
      : pathToFileURL(resolve(dist, 'src/processors/pii', file)).href;
  return { ...(await import(at('detectors.js'))), ...(await import(at('pii-processor.js'))) } as PiiModule;
}

/** The record figure of the build in `dist` (this build when empty), measured in a fresh process. */
function perRecordInChild(dist: string): number {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--record', dist], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  return Number(out.trim().split('\n').pop());
}

if (process.argv[2] === '--record') {
  console.log(perRecord(await load(process.argv[3] || undefined)));
} else {
  await main();
}

async function main(): Promise<void> {
  const current = await load(undefined);
  const baselineDir = process.env.BENCH_PII_BASELINE;
  const baseline = baselineDir ? await load(baselineDir) : undefined;
  const fmt = (n: number, d = 3): string => n.toFixed(d);
  console.log(
    `\nPII detectors — CPU time, best of 5 rounds; hostile texts of ${HOSTILE_CHARS} chars${baseline ? `; baseline: ${baselineDir}` : ''}`,
  );
  console.log(
    `${'input'.padEnd(34)} ${'this build'.padStart(12)}${baseline ? `${'baseline'.padStart(12)}${'ratio'.padStart(9)}` : ''}`,
  );
  let worst = 0;
  let worstBase = 0;
  for (const [name, build] of HOSTILE_SHAPES) {
    const text = build(HOSTILE_CHARS);
    const now = perKb(current, text, 20) / 1000;
    worst = Math.max(worst, now);
    let tail = '';
    if (baseline) {
      const before = perKb(baseline, text, 1) / 1000;
      worstBase = Math.max(worstBase, before);
      tail = `${fmt(before).padStart(9)} ms${(before / now).toFixed(1).padStart(8)}×`;
    }
    console.log(`${name.padEnd(34)} ${fmt(now).padStart(9)} ms${tail}   (per KB)`);
  }
  console.log(
    `${'worst case per KB'.padEnd(34)} ${fmt(worst).padStart(9)} ms${baseline ? `${fmt(worstBase).padStart(9)} ms${(worstBase / worst).toFixed(1).padStart(8)}×` : ''}   target ≤ 1 ms: ${worst <= 1 ? 'met' : 'NOT met'}`,
  );
  const rounds = Math.max(1, Number(process.env.BENCH_PII_ROUNDS ?? '3'));
  const now: number[] = [];
  const before: number[] = [];
  for (let r = 0; r < rounds; r++) {
    now.push(perRecordInChild(''));
    if (baselineDir) before.push(perRecordInChild(baselineDir));
  }
  const rec = median(now);
  let recTail = '';
  if (baselineDir) {
    const old = median(before);
    recTail = `${fmt(old, 2).padStart(9)} µs${(rec / old).toFixed(2).padStart(8)}× of baseline`;
  }
  console.log(
    `${'typical lead record (processor)'.padEnd(34)} ${fmt(rec, 2).padStart(9)} µs${recTail}   (median of ${rounds} fresh processes)`,
  );
}
