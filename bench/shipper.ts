/**
 * Journal shipper benchmark (part of `npm run bench`, or alone: `node dist/bench/shipper.js`):
 * in one run, the rate at which the default path writes lead records to the journal (compliance
 * mode, signing, journal; as fast as a loop can log) and the rate at which the journal shipper
 * then sends that journal over OTLP/HTTP to a loopback endpoint that acknowledges every request
 * without parsing it (the shipper's own cost: reading, encoding, HTTP). The shipper rate is
 * measured from its first acknowledged batch to caught up (its worker's start-up excluded), and
 * the CPU time per record of each (the shipper thread's from /proc on Linux), which depends less
 * on what else the machine runs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createAuditLogger } from '../src/logger/default-logger.js';
import { generateLeads } from './workload.js';

const RECORDS = Number(process.env.BENCH_SHIP_RECORDS ?? '50000');

const dir = await mkdtemp(path.join(tmpdir(), 'bench-ship-'));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
try {
  const leads = generateLeads(1000);
  const base = {
    signingKey: randomBytes(32).toString('base64'),
    env: {},
    auditFile: path.join(dir, 'audit.log'),
    sealIntervalMs: 0,
    pii: { enabled: true, mode: 'redact' as const },
  };
  const writer = createAuditLogger(base);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i++) {
    const lead = leads[i % leads.length] as (typeof leads)[number];
    writer.logLeadIngested(lead.leadId, lead.source, lead.data, lead.workflow);
  }
  await writer.shutdown();
  const writeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const writeCpu = process.cpuUsage(cpu0);

  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;
  const shipper = createAuditLogger({
    ...base,
    otlp: { logsUrl: url, metrics: false, shipper: { drainTimeoutMs: 600_000 } },
  });
  let first: bigint | undefined;
  let firstCpuMs = 0;
  let firstShipped = 0;
  const poll = setInterval(() => {
    const s = shipper.getDiagnostics().shipping;
    if (first === undefined && (s?.recordsShipped ?? 0) > 0) {
      first = process.hrtime.bigint();
      firstCpuMs = s?.threadCpuMs ?? 0;
      firstShipped = s?.recordsShipped ?? 0;
    }
  }, 5);
  await shipper.forceFlush();
  const done = process.hrtime.bigint();
  clearInterval(poll);
  const status = shipper.getDiagnostics().shipping;
  await shipper.shutdown();
  const shipped = status?.recordsShipped ?? 0;
  const shipSeconds = Number(done - (first ?? done)) / 1e9;
  const writeRate = RECORDS / writeSeconds;
  // the first acknowledged batch is not part of the measured interval
  const shipRate = (shipped - Math.min(shipped, 2048)) / shipSeconds;
  // CPU per record: the journal's (this process, while logging) and the shipper thread's (from its first acknowledgement on)
  const writeCpuUs = ((writeCpu.user + writeCpu.system) / RECORDS).toFixed(0);
  const shipCpuUs =
    status?.threadCpuMs !== undefined && shipped > firstShipped
      ? (((status.threadCpuMs - firstCpuMs) * 1000) / (shipped - firstShipped)).toFixed(0)
      : '?';
  console.log(
    `\njournal shipper (${RECORDS} lead records, compliance mode, journal; shipper → loopback OTLP/HTTP endpoint that only acknowledges)`,
  );
  console.log(
    `journal write rate: ${Math.round(writeRate)} records/s   shipper rate: ${Math.round(shipRate)} records/s   shipper/journal: ${(shipRate / writeRate).toFixed(2)}   shipped ${shipped}, behind ${status?.recordsBehind}`,
  );
  console.log(
    `CPU per record: logging to the journal ${writeCpuUs} µs (all threads), shipper thread ${shipCpuUs} µs (${status?.threadCpuMs === undefined ? 'thread CPU not available here' : 'ticks of 10 ms'})`,
  );
} finally {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
}
