/**
 * Child process of the default-path comparison (`default-path.ts`): measures one side in a fresh
 * process and prints one JSON line. Usage: `node dist/bench/default-path-run.js <audit|audit-thread|pino> <events>`.
 *
 * Both sides log the same lead records (name, e-mail, phone, address, IP and non-personal fields)
 * and remove the same six personal fields before the line reaches the file:
 * - `audit`: `createAuditLogger` with a journal file, signing on, `enableComplianceMode()` (PII
 *   anonymization on, `redact` mode), otherwise defaults; `logLeadIngested(id, source, data, workflow)`.
 * - `audit-thread`: the same logger in thread mode (`thread: true`): PII, signing and the journal
 *   run in the audit worker; the app thread's figures are its own, the worker's CPU is reported apart.
 * - `pino`: `pino({ redact })` on `pino.destination({ sync: false, minLength: 4096 })`, pino's
 *   documented asynchronous file destination; `logger.info({ event, leadId, workflow, source, data }, msg)`.
 *
 * Passes, after a warm-up of `events / 10` calls that is flushed to disk:
 * 1. to disk: `events` calls in chunks of 256 with a yield to the event loop between chunks (as an
 *    orchestrator yields between steps), then wait until every byte is written to the file
 *    (`forceFlush()` of the logger; `flush(cb)` of the pino destination). Gives events/s to disk,
 *    the app thread's busy time per event (event-loop utilization: the calls plus timers and
 *    callbacks the logger runs on the main thread), its CPU time per event (`process.threadCpuUsage`,
 *    Node 23.9+), the whole process's CPU time per event (pino's writes run on libuv threads) and
 *    resident memory right after.
 * 2. caller cost: `min(events, 50000)` calls each timed with `process.hrtime.bigint()` (same
 *    chunks and yields); p50/p99/p99.9 per call. Calls are made as fast as possible, so a side whose
 *    pipeline writes slower than the caller calls also shows its back-pressure here.
 * 3. paced: `min(events, 30000)` calls at `BENCH_PACED_RATE` calls/s (default 10000; bursts of 100
 *    on a timer), a rate each side can write: per-call p50/p99/mean and the app thread's CPU and
 *    busy time per event, i.e. the share of the event loop an orchestrator at that rate gives away.
 * Lines on disk are counted at the end to show nothing was lost.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { createAuditLogger } from '../src/index.js';
import { generateLeads, PII_PATHS, type BenchLead } from './workload.js';

/** Result of one side in one process. */
export interface DefaultPathResult {
  readonly side: 'audit' | 'audit-thread' | 'pino';
  readonly node: string;
  readonly events: number;
  /** Events per second from the first call until the last byte was written to the file. */
  readonly toDiskPerSec: number;
  /** Main-thread busy time per event during the to-disk pass (calls, timers, callbacks), µs. */
  readonly appThreadUs: number;
  /** Main-thread CPU time per event during the to-disk pass, µs (less moved by other load than wall time). */
  readonly appThreadCpuUs: number;
  /** CPU time of the whole process (every thread) per event during the to-disk pass, µs. */
  readonly processCpuUs: number;
  /** Thread mode: the audit worker's CPU time per event during the to-disk pass, µs (10 ms ticks). */
  readonly workerCpuUs?: number;
  /** Per-call latency on the caller's thread, µs. */
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly meanUs: number;
  /** Pass 3 (paced at {@link pacedRate} calls/s): per-call latency, µs. */
  readonly pacedP50Us: number;
  readonly pacedP99Us: number;
  readonly pacedMeanUs: number;
  /** Pass 3: the app thread's CPU time and event-loop busy time per event, µs. */
  readonly pacedCpuUs: number;
  readonly pacedBusyUs: number;
  /** Resident memory right after the to-disk pass (warm-up + `events` calls written), bytes. */
  readonly rssBytes: number;
  /** Peak resident memory of the process, bytes. */
  readonly maxRssBytes: number;
  /** Lead lines found in the file(s) at the end, and how many calls were made. */
  readonly linesOnDisk: number;
  readonly calls: number;
}

const CHUNK = 256;
/** Calls per second of the paced pass. */
export const pacedRate = Math.max(100, Number(process.env.BENCH_PACED_RATE ?? '10000'));
const PACED_BURST = 100;

interface Side {
  readonly call: (lead: BenchLead) => void;
  /** Resolves once everything logged so far is written to the file. */
  readonly flushed: () => Promise<void>;
  readonly close: () => Promise<void>;
  /** Thread mode: CPU time of the audit worker so far, ms. */
  readonly workerCpuMs?: () => number | undefined;
}

function auditSide(dir: string, thread: boolean): Side {
  const audit = createAuditLogger({
    auditFile: path.join(dir, 'audit.log'),
    signingKey: randomBytes(32),
    env: {},
    ...(thread ? { thread: true } : {}),
  });
  audit.enableComplianceMode();
  return {
    call: (l) => audit.logLeadIngested(l.leadId, l.source, l.data, l.workflow),
    flushed: () => audit.forceFlush(),
    close: () => audit.shutdown(),
    ...(thread ? { workerCpuMs: () => audit.getDiagnostics().thread?.workerCpuMs } : {}),
  };
}

function pinoSide(dir: string): Side {
  const destination = pino.destination({ dest: path.join(dir, 'pino.log'), sync: false, minLength: 4096 });
  const logger = pino({ redact: { paths: PII_PATHS, censor: '[REDACTED]' } }, destination);
  const flushed = (): Promise<void> =>
    new Promise((resolve, reject) => destination.flush((err) => (err ? reject(err) : resolve())));
  return {
    call: (l) =>
      logger.info(
        { event: 'lead_ingested', leadId: l.leadId, workflow: l.workflow, source: l.source, data: l.data },
        `Lead ${l.leadId} ingested from ${l.source}`,
      ),
    flushed,
    close: async () => {
      await flushed();
      await new Promise<void>((resolve) => {
        destination.once('close', () => resolve());
        destination.end();
      });
    },
  };
}

/** Lines naming a lead-ingested event in the files of `dir` (gzip segments included). */
function leadLines(dir: string): number {
  let count = 0;
  for (const name of readdirSync(dir)) {
    if (!/\.log(\.gz)?$/.test(name)) continue;
    const raw = readFileSync(path.join(dir, name));
    const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    for (const line of text.split('\n')) if (line.includes('lead_ingested') || line.includes('lead.ingested')) count++;
  }
  return count;
}

/** CPU time of this (the main) thread in µs; the whole process's on a Node without `process.threadCpuUsage`. */
function threadCpu(): number {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return usage.user + usage.system;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

async function main(): Promise<void> {
  const [which, eventsArg] = process.argv.slice(2);
  if (which !== 'audit' && which !== 'audit-thread' && which !== 'pino')
    throw new Error('usage: default-path-run.js <audit|audit-thread|pino> <events>');
  const events = Number(eventsArg ?? '100000');
  const leads = generateLeads(1000);
  const lead = (i: number): BenchLead => leads[i % leads.length] as BenchLead;
  const dir = mkdtempSync(path.join(tmpdir(), `bench-default-${which}-`));
  try {
    const side = which === 'pino' ? pinoSide(dir) : auditSide(dir, which === 'audit-thread');
    let calls = 0;
    const warm = Math.floor(events / 10);
    for (let i = 0; i < warm; i++) {
      side.call(lead(calls++));
      if (i % CHUNK === CHUNK - 1) await yieldToLoop();
    }
    await side.flushed();

    // 1. to disk
    const elu0 = performance.eventLoopUtilization();
    const thread0 = threadCpu();
    const process0 = process.cpuUsage();
    const worker0 = side.workerCpuMs?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < events; i += CHUNK) {
      const end = Math.min(events, i + CHUNK);
      for (let j = i; j < end; j++) side.call(lead(calls++));
      await yieldToLoop();
    }
    await side.flushed();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const elu = performance.eventLoopUtilization(elu0);
    const threadMicros = threadCpu() - thread0;
    const processUsage = process.cpuUsage(process0);
    const rssBytes = process.memoryUsage().rss;
    const worker1 = side.workerCpuMs?.();

    // 2. caller cost
    const latencyN = Math.min(events, 50_000);
    const lat = new Float64Array(latencyN);
    for (let i = 0; i < latencyN; i += CHUNK) {
      const end = Math.min(latencyN, i + CHUNK);
      for (let j = i; j < end; j++) {
        const l = lead(calls++);
        const s = process.hrtime.bigint();
        side.call(l);
        lat[j] = Number(process.hrtime.bigint() - s) / 1000;
      }
      await yieldToLoop();
    }
    await side.flushed();

    // 3. paced
    const pacedN = Math.min(events, 30_000);
    const paced = new Float64Array(pacedN);
    let pacedSum = 0;
    const elu2 = performance.eventLoopUtilization();
    const thread2 = threadCpu();
    const start = performance.now();
    for (let i = 0; i < pacedN; i += PACED_BURST) {
      const due = start + (i * 1000) / pacedRate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const end = Math.min(pacedN, i + PACED_BURST);
      for (let j = i; j < end; j++) {
        const l = lead(calls++);
        const s = process.hrtime.bigint();
        side.call(l);
        paced[j] = Number(process.hrtime.bigint() - s) / 1000;
        pacedSum += paced[j] as number;
      }
    }
    const pacedCpu = (threadCpu() - thread2) / pacedN;
    const pacedBusy = (performance.eventLoopUtilization(elu2).active * 1000) / pacedN;
    paced.sort();
    await side.close();
    let sum = 0;
    for (const v of lat) sum += v;
    lat.sort();
    const result: DefaultPathResult = {
      side: which,
      node: process.version,
      events,
      toDiskPerSec: events / seconds,
      appThreadUs: (elu.active * 1000) / events,
      appThreadCpuUs: threadMicros / events,
      processCpuUs: (processUsage.user + processUsage.system) / events,
      ...(worker0 !== undefined && worker1 !== undefined ? { workerCpuUs: ((worker1 - worker0) * 1000) / events } : {}),
      p50Us: percentile(lat, 0.5),
      p99Us: percentile(lat, 0.99),
      p999Us: percentile(lat, 0.999),
      meanUs: sum / latencyN,
      pacedP50Us: percentile(paced, 0.5),
      pacedP99Us: percentile(paced, 0.99),
      pacedMeanUs: pacedSum / pacedN,
      pacedCpuUs: pacedCpu,
      pacedBusyUs: pacedBusy,
      rssBytes,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      linesOnDisk: leadLines(dir),
      calls,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
