/**
 * The journal shipper against a real loopback OTLP/HTTP peer (the Loki stand-in receiver, here
 * addressed directly): every record the journal holds arrives, across rotation and gzip; a
 * refused collector makes the shipper lag (visible in diagnostics), never drop; a new process on
 * the same journal ships what the previous one left.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { readJournal } from '../../src/sinks/journal/reader.js';
import { cursorPathOf } from '../../src/sinks/shipper/cursor.js';
import { SHIPPER_FAILURE } from '../../src/sinks/shipper/shipper-status.js';
import { verifyRecords } from '../../src/entry/verify.js';
import { tempDir, waitFor } from '../journal/helpers.js';
import { OtlpLogReceiver, type ReceivedLog } from '../stack/otlp-log-receiver.js';

const KEY = randomBytes(32).toString('base64');
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

/** `audit-cli --file <auditFile> stats --json`. */
async function cliStats(
  auditFile: string,
): Promise<{ shipping?: { recordsBehind: number; secondsBehind: number; lastShipped?: { seq: number } } }> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, '--file', auditFile, 'stats', '--json'], {
    env: { PATH: process.env.PATH ?? '' },
    timeout: 30_000,
  });
  return JSON.parse(stdout) as {
    shipping?: { recordsBehind: number; secondsBehind: number; lastShipped?: { seq: number } };
  };
}
const KID = 'ship';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function logger(
  auditFile: string,
  receiver: OtlpLogReceiver,
  extra: { maxFileSizeMb?: number; drainTimeoutMs?: number; requestTimeoutMs?: number } = {},
): AuditLogger {
  return createAuditLogger({
    signingKey: KEY,
    signingKeyId: KID,
    // a request gives up after 1 s by default here (a refused collector is noticed quickly)
    env: { OTEL_EXPORTER_OTLP_TIMEOUT: String(extra.requestTimeoutMs ?? 1000) },
    auditFile,
    serviceName: 'shipper-test',
    sealIntervalMs: 0,
    sealEveryRecords: 0,
    flushIntervalMs: 20,
    ...(extra.maxFileSizeMb !== undefined ? { maxFileSizeMb: extra.maxFileSizeMb } : {}),
    otlp: {
      logsUrl: `${receiver.url}/otlp/v1/logs`,
      metrics: false,
      shipper: {
        protocol: 'http/json', // the receiver takes OTLP/JSON (through the collector, the default protobuf is tested)
        retryInitialMs: 50,
        retryMaxMs: 200,
        pollIntervalMs: 20,
        drainTimeoutMs: extra.drainTimeoutMs ?? 10_000,
      },
    },
  });
}

/** (stream, seq) keys of every record in the journal. */
async function journalKeys(auditFile: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of readJournal(auditFile))
    if (e.decoded.ok) keys.push(`${e.decoded.record.rec.stream}:${e.decoded.record.rec.seq}`);
  return keys;
}

function receivedKeys(logs: readonly ReceivedLog[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of logs) {
    const key = `${l.attributes['audit.stream']}:${l.attributes['audit.seq']}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('journal shipper → loopback OTLP receiver', function () {
  this.timeout(60_000);
  let receiver: OtlpLogReceiver;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    receiver = new OtlpLogReceiver(await freePort());
    await receiver.start();
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await receiver.stop();
    await cleanup();
  });

  it('ships every record of the journal exactly once, across rotated and gzipped segments; what arrives verifies', async () => {
    const auditFile = path.join(dir, 'audit.log');
    // ~50 KB segments: many rotations. A request that times out is sent again (at least once), and
    // its first copy may have arrived: a loaded machine must not turn that into a failure here.
    const audit = logger(auditFile, receiver, { maxFileSizeMb: 0.05, requestTimeoutMs: 30_000 });
    for (let i = 0; i < 3000; i++) audit.logLeadIngested(`L-${i}`, 'web', { i, note: 'x'.repeat(20) }, 'sales');
    await audit.shutdown();
    const inJournal = await journalKeys(auditFile);
    expect(inJournal).to.have.length(3001); // + shutdown seal
    const files = (await import('node:fs/promises')).readdir(dir);
    expect((await files).filter((f) => f.endsWith('.log.gz')).length, 'gzipped segments').to.be.greaterThan(5);
    const counts = receivedKeys(receiver.logs);
    const notOnce = inJournal.filter((k) => counts.get(k) !== 1);
    expect(
      notOnce.length,
      `records not received exactly once (e.g. ${notOnce[0]}: ${counts.get(notOnce[0] ?? '') ?? 0} times); shipper: ${JSON.stringify(audit.getDiagnostics().shipping)}, failures: ${JSON.stringify(audit.getDiagnostics().failures)}`,
    ).to.equal(0);
    expect(receiver.logs).to.have.length(3001);
    const sorted = [...receiver.logs].sort(
      (a, b) => Number(a.attributes['audit.seq']) - Number(b.attributes['audit.seq']),
    );
    const report = verifyRecords(
      sorted.map((l) => ({ canonical: l.body ?? '', sig: l.attributes['audit.sig'] ?? '' })),
      { [KID]: KEY },
    );
    expect(report.status, report.summary).to.equal('clean');
    const first = sorted[0] as ReceivedLog;
    expect(first.eventName).to.equal('orchestrator.lead.ingested');
    expect(first.attributes['orchestrator.lead.id']).to.equal('L-0');
    expect(first.resource['service.name']).to.equal('shipper-test');
    expect(first.resource).to.not.have.property('service.instance.id');
    const cursor = JSON.parse(await readFile(cursorPathOf(auditFile), 'utf8')) as { last: { seq: number } };
    expect(cursor.last.seq).to.equal(3001);
  });

  it('lags while the collector refuses (lag in diagnostics, failures counted), never drops; the next process ships the rest', async () => {
    const auditFile = path.join(dir, 'audit.log');
    await receiver.stop(); // connection refused
    const first = logger(auditFile, receiver, { drainTimeoutMs: 300 });
    for (let i = 0; i < 500; i++) first.logLeadIngested(`A-${i}`, 'web', { i }, 'sales');
    await first.forceFlush(); // bounded: returns while still behind
    await waitFor(() => (first.getDiagnostics().shipping?.failedRequests ?? 0) >= 2, 5000);
    const lagging = first.getDiagnostics();
    expect(lagging.shipping?.state).to.equal('retrying');
    expect(lagging.shipping?.recordsBehind).to.equal(500);
    expect(lagging.shipping?.secondsBehind).to.be.greaterThan(0);
    expect(lagging.shipping?.lastError).to.be.a('string');
    expect(lagging.failures.find((f) => f.kind === SHIPPER_FAILURE.export)?.count).to.be.at.least(2);
    await first.shutdown(); // gives up waiting; the records stay in the journal
    expect(receiver.logs).to.have.length(0);
    const before = await cliStats(auditFile);
    expect(before.shipping, 'no cursor yet: nothing was ever acknowledged').to.equal(undefined);

    await receiver.start();
    const second = logger(auditFile, receiver);
    for (let i = 0; i < 100; i++) second.logLeadIngested(`B-${i}`, 'web', { i }, 'sales');
    await second.forceFlush();
    const status = second.getDiagnostics().shipping;
    expect(status?.recordsBehind).to.equal(0);
    expect(status?.secondsBehind).to.equal(0);
    await second.shutdown();
    const after = await cliStats(auditFile);
    expect(after.shipping?.recordsBehind).to.equal(0);
    expect(after.shipping?.lastShipped?.seq).to.equal(101); // the second stream's shutdown seal
    const inJournal = await journalKeys(auditFile);
    expect(inJournal).to.have.length(500 + 1 + 100 + 1);
    const counts = receivedKeys(receiver.logs);
    expect(
      inJournal.filter((k) => counts.get(k) !== 1),
      'records not received exactly once',
    ).to.deep.equal([]);
  });

  it('counts the lag exactly while it trails a journal that keeps rotating (records behind + shipped = written)', async () => {
    // a slow collector: 30 ms per request, 20 records per request, one at a time
    let requests = 0;
    const slow = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          requests++;
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        }, 30),
      );
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/v1/logs`;
    const audit = createAuditLogger({
      signingKey: KEY,
      signingKeyId: KID,
      env: {},
      auditFile: path.join(dir, 'audit.log'),
      maxFileSizeMb: 0.01, // ~10 KB segments: the shipper passes many rotated active files
      flushIntervalMs: 10,
      sealIntervalMs: 0,
      sealEveryRecords: 0,
      otlp: { logsUrl: url, metrics: false, shipper: { maxBatchRecords: 20, maxInFlight: 1, pollIntervalMs: 10 } },
    });
    try {
      // exact from the first catch-up on (docs/stack.md): one record shipped before the burst
      audit.logLeadIngested('L-first', 'web', {}, 'sales');
      await audit.forceFlush();
      expect(audit.getDiagnostics().shipping).to.include({ state: 'caught-up', recordsBehind: 0, recordsShipped: 1 });
      const samples: { behind: number; shipped: number }[] = [];
      for (let i = 0; i < 1000; i++) {
        audit.logLeadIngested(`L-${i}`, 'web', { i }, 'sales');
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, 15));
      }
      await new Promise((r) => setTimeout(r, 200)); // the journal has written everything
      for (let k = 0; k < 20; k++) {
        const s = audit.getDiagnostics().shipping;
        if (s) samples.push({ behind: s.recordsBehind, shipped: s.recordsShipped });
        await new Promise((r) => setTimeout(r, 60));
      }
      expect(
        samples.some((x) => x.behind > 0 && x.shipped > 0),
        'sampled while lagging',
      ).to.equal(true);
      expect(
        samples.filter((x) => x.behind + x.shipped !== 1001),
        'records behind + shipped != written',
      ).to.deep.equal([]);
      await audit.forceFlush();
      expect(audit.getDiagnostics().shipping?.recordsBehind).to.equal(0);
      expect(requests).to.be.greaterThan(40);
    } finally {
      await audit.shutdown();
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});
