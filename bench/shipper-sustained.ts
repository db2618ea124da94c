/**
 * Sustained shipping benchmark: `node dist/bench/shipper-sustained.js [seconds] [rate]` (after
 * `npm run build`; the collector is built by scripts/stack/build.sh). Starts the real collector
 * (scripts/stack/start.sh --only collector, on the ports of AUDIT_TEST_*_PORT / AUDIT_STACK_RUN)
 * in front of a loopback OTLP/HTTP endpoint standing in for Loki, then runs an application
 * process (bench/sustained-app.ts) that logs lead records through the default path for `seconds`
 * (default 60) at `rate` records/s (default 0: as fast as it can). Prints, every 5 s, the records
 * logged and the shipper's lag (records and seconds behind) and how many records reached the
 * endpoint; then the CPU each part used (application thread, shipper thread, collector, endpoint,
 * in cores) and whether every record of the journal arrived.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const SCRIPTS = path.resolve(here, '../../scripts/stack');
const seconds = Number(process.argv[2] ?? 60);
const rate = Number(process.argv[3] ?? 0);
const SAMPLE_MS = 5000;

interface Sample {
  readonly phase: string;
  readonly t: number;
  readonly emitted: number;
  readonly behind?: number;
  readonly secondsBehind?: number;
  readonly shipped?: number;
  readonly processCpuMs: number;
  readonly shipperCpuMs?: number;
  readonly head?: number;
}

/** CPU time (ms) of a process, or of one of its threads, from /proc (Linux). */
function cpuMsOf(pid: number, tid?: number): number {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

// the Loki stand-in: counts the distinct audit.seq values that arrive (one stream: the app's)
const seen = new Set<number>();
let arrivedTotal = 0;
const receiverPort = Number(process.env.AUDIT_TEST_LOG_RECEIVER_PORT ?? 13100);
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const text = raw.toString('utf8');
    for (const m of text.matchAll(/"key":"audit\.seq","value":\{"intValue":"?(\d+)/g)) {
      seen.add(Number(m[1]));
      arrivedTotal++;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));
const runDir = process.env.AUDIT_STACK_RUN;
if (!runDir) throw new Error('set AUDIT_STACK_RUN and the AUDIT_TEST_*_PORT variables (own ports for the collector)');
await run('bash', [path.join(SCRIPTS, 'start.sh'), '--only', 'collector'], { timeout: 90_000 });
const collectorPid = Number(readFileSync(path.join(runDir, 'collector.pid'), 'utf8').trim());
const endpoint = `http://127.0.0.1:${process.env.AUDIT_TEST_COLLECTOR_HTTP_PORT ?? 14318}`;
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-sustained-'));
try {
  const collector0 = cpuMsOf(collectorPid);
  const receiver0 = process.cpuUsage();
  const child = spawn(
    process.execPath,
    [
      path.join(here, 'sustained-app.js'),
      path.join(dir, 'audit.log'),
      String(seconds),
      String(rate),
      endpoint,
      String(SAMPLE_MS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const samples: (Sample & {
    mainThreadCpuMs: number;
    arrived: number;
    collectorCpuMs: number;
    receiverCpuMs: number;
  })[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const s = JSON.parse(buffered.slice(0, nl)) as Sample;
      buffered = buffered.slice(nl + 1);
      const r = process.cpuUsage(receiver0);
      samples.push({
        ...s,
        mainThreadCpuMs: cpuMsOf(child.pid as number, child.pid),
        arrived: seen.size,
        collectorCpuMs: cpuMsOf(collectorPid) - collector0,
        receiverCpuMs: (r.user + r.system) / 1000,
      });
    }
  });
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // The collector acknowledges a record once it is in its persistent queue and forwards it later:
  // wait until every written seq reached the endpoint, or arrivals stall for 15 s (at most 180 s).
  const exitedAt = Date.now();
  const expected = samples.find((s) => s.phase === 'shut-down')?.head ?? 0;
  let lastCount = -1;
  let lastChange = Date.now();
  while (seen.size < expected && Date.now() - lastChange < 15_000 && Date.now() - exitedAt < 180_000) {
    if (seen.size !== lastCount) {
      lastCount = seen.size;
      lastChange = Date.now();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const drainSeconds = (Date.now() - exitedAt) / 1000;
  const logged = samples.find((s) => s.phase === 'logged');
  const last = samples.find((s) => s.phase === 'caught-up');
  console.log(
    `\nsustained shipping: ${seconds} s at ${rate > 0 ? `${rate} records/s` : 'the fastest rate the app logs'}, default path (compliance mode, signing, journal) → shipper → real collector → loopback endpoint`,
  );
  console.log('    t  logged  rate/s   behind  s behind  arrived');
  let prev = { t: 0, emitted: 0 };
  for (const s of samples.filter((x) => x.phase === 'running' || x.phase === 'logged')) {
    const r = (s.emitted - prev.emitted) / Math.max(0.001, s.t - prev.t);
    prev = s;
    console.log(
      `${s.t.toFixed(0).padStart(5)} ${String(s.emitted).padStart(7)} ${r.toFixed(0).padStart(7)} ${String(s.behind ?? '?').padStart(8)} ${(s.secondsBehind ?? 0).toFixed(1).padStart(9)} ${String(s.arrived).padStart(8)}`,
    );
  }
  if (logged && last) {
    const wall = logged.t;
    const shipper = logged.shipperCpuMs ?? 0;
    const share = (ms: number): string => (ms / 1000 / wall).toFixed(2);
    const others = logged.processCpuMs - logged.mainThreadCpuMs - shipper;
    console.log(
      `logging: ${logged.emitted} records in ${wall.toFixed(1)} s (${(logged.emitted / wall).toFixed(0)}/s); caught up ${(last.t - wall).toFixed(1)} s after the last record (${last.behind ?? '?'} behind)`,
    );
    console.log(
      `CPU while logging, in cores: application thread ${share(logged.mainThreadCpuMs)}, shipper thread ${share(shipper)}, the application's other threads (GC, file system, gzip) ${share(others)}, collector ${share(logged.collectorCpuMs)}, loopback endpoint ${share(logged.receiverCpuMs)} (of ${os.cpus().length})`,
    );
  }
  const written = samples.find((s) => s.phase === 'shut-down')?.head ?? 0;
  let missing = 0;
  for (let seq = 1; seq <= written; seq++) if (!seen.has(seq)) missing++;
  console.log(
    `arrived: ${seen.size} distinct seqs of ${written} records written (seals included), ${missing} missing, ${arrivedTotal - seen.size} copies; the collector's queue drained ${drainSeconds.toFixed(1)} s after the app exited`,
  );
} finally {
  await run('bash', [path.join(SCRIPTS, 'stop.sh'), '--only', 'collector'], { timeout: 60_000 }).catch(() => undefined);
  receiver.close();
  await rm(dir, { recursive: true, force: true });
}
