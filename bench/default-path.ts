/**
 * The default-path comparison (first part of `npm run bench`, or alone:
 * `node dist/bench/default-path.js`): the audit SDK as an orchestrator runs it (journal file,
 * signing, compliance mode) against pino with `redact` on its asynchronous file destination, on
 * the same lead records with the same personal fields removed (see `default-path-run.ts`).
 *
 * Each side runs in a process of its own; the sides alternate over `BENCH_DEFAULT_ROUNDS` rounds
 * (default 5; audit first in even rounds, pino first in odd ones) so that load from elsewhere on
 * the machine moves one round rather than one side. Printed: every round, the medians, and the
 * median of the per-round ratios. `BENCH_EVENTS` sets the events per pass (default 100000);
 * `BENCH_NODE=<path of a node binary>` runs both sides on another Node.
 * `BENCH_BASELINE=<dist/bench directory of another build>` also runs that build's audit side in
 * every round and prints it as a further column, with the per-round ratio of this build to it.
 * A third side, "audit (thread)", is the same logger in thread mode (PII, signing and the journal
 * in the audit worker); its app-thread figures are the app thread's own, and the worker's CPU per
 * event is printed apart. `BENCH_THREAD=0` leaves it out.
 * Every round also times a fixed computation the same way (`machine-jitter.ts`): the p99/p50 it
 * shows is the machine's own tail, against which the callers' p99/p50 can be read.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DefaultPathResult } from './default-path-run.js';
import type { JitterResult } from './machine-jitter.js';

/** The paced pass's rate as a label (the child reads the same variable). */
const pacedLabel = `${Math.round(Math.max(100, Number(process.env.BENCH_PACED_RATE ?? '10000')) / 1000)}k/s`;
import { median } from './stats.js';

const events = Number(process.env.BENCH_EVENTS ?? '100000');
const rounds = Math.max(1, Number(process.env.BENCH_DEFAULT_ROUNDS ?? '5'));
const node =
  process.env.BENCH_NODE !== undefined && process.env.BENCH_NODE !== '' ? process.env.BENCH_NODE : process.execPath;
const script = fileURLToPath(new URL('./default-path-run.js', import.meta.url));
const baselineDir =
  process.env.BENCH_BASELINE !== undefined && process.env.BENCH_BASELINE !== ''
    ? process.env.BENCH_BASELINE
    : undefined;

const withThread = process.env.BENCH_THREAD !== '0';

/** The machine's own tail (a fixed computation timed like the calls), once per round. */
function runControl(): JitterResult {
  const control = fileURLToPath(new URL('./machine-jitter.js', import.meta.url));
  const out = execFileSync(node, [control, String(Math.min(events, 50_000))], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop() as string) as JitterResult;
}

function runSide(side: 'audit' | 'audit-thread' | 'pino', from = script): DefaultPathResult {
  const out = execFileSync(node, [from, side, String(events)], { encoding: 'utf8', timeout: 300_000 });
  return JSON.parse(out.trim().split('\n').pop() as string) as DefaultPathResult;
}

const fmt = (n: number, d = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mib = (bytes: number): string => fmt(bytes / 1048576, 0);

const load0 = loadavg()[0] as number;
const audit: DefaultPathResult[] = [];
const pinoRuns: DefaultPathResult[] = [];
const baseline: DefaultPathResult[] = [];
const threaded: DefaultPathResult[] = [];
const controls: JitterResult[] = [];
for (let round = 0; round < rounds; round++) {
  controls.push(runControl());
  if (baselineDir !== undefined && round % 2 === 1)
    baseline.push(runSide('audit', `${baselineDir}/default-path-run.js`));
  if (withThread && round % 2 === 1) threaded.push(runSide('audit-thread'));
  if (round % 2 === 0) {
    audit.push(runSide('audit'));
    pinoRuns.push(runSide('pino'));
  } else {
    pinoRuns.push(runSide('pino'));
    audit.push(runSide('audit'));
  }
  if (withThread && round % 2 === 0) threaded.push(runSide('audit-thread'));
  if (baselineDir !== undefined && round % 2 === 0)
    baseline.push(runSide('audit', `${baselineDir}/default-path-run.js`));
}
const load1 = loadavg()[0] as number;

/** Figures compared, with the direction in which a ratio > 1 means the audit SDK does better. */
const FIGURES: readonly {
  readonly label: string;
  readonly of: (r: DefaultPathResult) => number;
  readonly digits: number;
  readonly unit?: (n: number) => string;
  /** `pino/audit` for costs (lower is better), `audit/pino` for rates. */
  readonly ratio: 'cost' | 'rate' | 'none';
}[] = [
  { label: 'caller cost p50, µs/call', of: (r) => r.p50Us, digits: 2, ratio: 'cost' },
  { label: 'caller cost p99, µs/call', of: (r) => r.p99Us, digits: 2, ratio: 'cost' },
  { label: 'caller cost p99.9, µs/call', of: (r) => r.p999Us, digits: 2, ratio: 'cost' },
  { label: 'caller cost mean, µs/call', of: (r) => r.meanUs, digits: 2, ratio: 'cost' },
  { label: 'app thread busy, µs/event', of: (r) => r.appThreadUs, digits: 2, ratio: 'cost' },
  { label: 'app thread CPU, µs/event', of: (r) => r.appThreadCpuUs, digits: 2, ratio: 'cost' },
  { label: 'process CPU, µs/event', of: (r) => r.processCpuUs, digits: 2, ratio: 'cost' },
  { label: `paced ${pacedLabel}: p50, µs/call`, of: (r) => r.pacedP50Us, digits: 2, ratio: 'cost' },
  { label: `paced ${pacedLabel}: p99, µs/call`, of: (r) => r.pacedP99Us, digits: 2, ratio: 'cost' },
  { label: `paced ${pacedLabel}: mean, µs/call`, of: (r) => r.pacedMeanUs, digits: 2, ratio: 'cost' },
  { label: `paced ${pacedLabel}: CPU, µs/event`, of: (r) => r.pacedCpuUs, digits: 2, ratio: 'cost' },
  { label: `paced ${pacedLabel}: busy, µs/event`, of: (r) => r.pacedBusyUs, digits: 2, ratio: 'cost' },
  { label: 'audit worker CPU, µs/event', of: (r) => r.workerCpuUs ?? 0, digits: 2, ratio: 'none' },
  { label: 'to disk, events/s', of: (r) => r.toDiskPerSec, digits: 0, ratio: 'rate' },
  { label: 'resident memory, MiB', of: (r) => r.rssBytes, digits: 0, unit: mib, ratio: 'none' },
  { label: 'peak resident memory, MiB', of: (r) => r.maxRssBytes, digits: 0, unit: mib, ratio: 'none' },
];

console.log(
  `default path — logLeadIngested (journal, signing, compliance mode) vs pino + redact (async file destination); ` +
    `${fmt(events)} events per pass, node ${audit[0]?.node ?? '?'}, ${rounds} interleaved round(s), ` +
    `load average ${fmt(load0, 2)} → ${fmt(load1, 2)}`,
);
const withBase = baseline.length > 0;
const withT = threaded.length > 0;
console.log(
  `${'figure'.padEnd(28)} ${'audit SDK'.padStart(11)} ${'pino+redact'.padStart(12)} ${'ratio'.padStart(7)}   ${'per round'.padEnd(rounds * 5)}` +
    (withT ? `   |  ${'audit (thread)'.padStart(14)} ${'ratio'.padStart(7)}   per round` : '') +
    (withBase ? `   |  ${'baseline'.padStart(9)}  this/baseline` : ''),
);
/** Per-round ratios of `runs` to pino (> 1: `runs` does better). */
function vsPino(f: (typeof FIGURES)[number], runs: readonly DefaultPathResult[]): number[] {
  return runs.map((r, i) => {
    const other = pinoRuns[i] as DefaultPathResult;
    return f.ratio === 'cost' ? f.of(other) / f.of(r) : f.of(r) / f.of(other);
  });
}
for (const f of FIGURES) {
  const show = (n: number): string => (f.unit ? f.unit(n) : fmt(n, f.digits));
  const a = median(audit.map(f.of));
  const p = median(pinoRuns.map(f.of));
  const perRound = vsPino(f, audit);
  const ratio = f.ratio === 'none' ? '' : `${fmt(median(perRound), 2)}×`;
  const rounds_ =
    f.ratio === 'none'
      ? audit.map((r, i) => `${show(f.of(r))}/${show(f.of(pinoRuns[i] as DefaultPathResult))}`).join(' ')
      : perRound.map((x) => fmt(x, 2)).join(' ');
  let thread = '';
  if (withT) {
    const t = median(threaded.map(f.of));
    const tr = vsPino(f, threaded);
    thread =
      `   |  ${show(t).padStart(14)} ${(f.ratio === 'none' ? '' : `${fmt(median(tr), 2)}×`).padStart(7)}   ` +
      (f.ratio === 'none' ? threaded.map((r) => show(f.of(r))).join(' ') : tr.map((x) => fmt(x, 2)).join(' '));
  }
  let base = '';
  if (withBase) {
    const b = median(baseline.map(f.of));
    const vs = audit.map((r, i) => {
      const other = baseline[i] as DefaultPathResult;
      return f.ratio === 'rate' ? f.of(r) / f.of(other) : f.of(other) / f.of(r);
    });
    base = `   |  ${show(b).padStart(9)}  ${f.ratio === 'none' ? '' : `${fmt(median(vs), 2)}×`}`;
  }
  console.log(
    `${f.label.padEnd(28)} ${show(a).padStart(11)} ${show(p).padStart(12)} ${ratio.padStart(7)}   ${rounds_.padEnd(rounds * 5)}${thread}${base}`,
  );
}
const calls = audit[0]?.calls ?? 0;
const lost = [...audit, ...threaded, ...pinoRuns, ...baseline].filter((r) => r.linesOnDisk !== r.calls).length;
console.log(
  `ratios: > 1 means the audit SDK does better (costs: pino/audit; rates: audit/pino); resident memory after ` +
    `${fmt(Math.floor(events * 1.1))} events written (audit/pino per round)` +
    `${withBase ? '; this/baseline > 1 means this build does better' : ''}. Lines on disk = calls (${fmt(calls)}) in ` +
    `${lost === 0 ? 'every run' : `all but ${lost} run(s)`}.`,
);
/** The issue's goals for one audit side against pino. */
function goals(label: string, runs: readonly DefaultPathResult[]): string {
  const p50 = median(runs.map((r, i) => (pinoRuns[i] as DefaultPathResult).p50Us / r.p50Us));
  const disk = median(runs.map((r, i) => r.toDiskPerSec / (pinoRuns[i] as DefaultPathResult).toDiskPerSec));
  const paced = median(runs.map((r, i) => (pinoRuns[i] as DefaultPathResult).pacedMeanUs / r.pacedMeanUs));
  const tail = median(runs.map((r) => r.p99Us / r.p50Us));
  const mem = median(runs.map((r, i) => (r.rssBytes - (pinoRuns[i] as DefaultPathResult).rssBytes) / 1048576));
  return (
    `goals (${label}): caller cost ≥ 1.2× pino: ${fmt(p50, 2)}× ${p50 >= 1.2 ? 'met' : 'NOT met'} ` +
    `(paced ${pacedLabel} mean: ${fmt(paced, 2)}× ${paced >= 1.2 ? 'met' : 'NOT met'}); to disk ≥ 1.0×: ${fmt(disk, 2)}× ` +
    `${disk >= 1 ? 'met' : 'NOT met'}; p99 ≤ 3× p50: ${fmt(tail, 2)}× ${tail <= 3 ? 'met' : 'NOT met'}; ` +
    `memory ≤ pino + 30 MiB: ${mem >= 0 ? '+' : ''}${fmt(mem, 0)} MiB ${mem <= 30 ? 'met' : 'NOT met'}`
  );
}
const jitter = median(controls.map((c) => c.p99Us / c.p50Us));
console.log(
  `machine control (a fixed computation of ~${fmt(median(controls.map((c) => c.p50Us)), 1)} µs timed the same way, ` +
    `no logger): p99/p50 ${fmt(jitter, 2)}×, ${fmt(100 * median(controls.map((c) => c.slowShare)), 1)} % of calls over ` +
    `3× the median (per round: ${controls.map((c) => fmt(c.p99Us / c.p50Us, 2)).join(' ')}); a p99/p50 at or below ` +
    `this is the machine's own tail`,
);
console.log(goals('audit SDK', audit));
if (withT) console.log(goals('audit (thread)', threaded));
