/**
 * @e2e The real collector (built with OCB from collector-config/builder-config.yaml, run with
 * collector-config/collector.yaml by scripts/stack/start.sh) between the SDK and a loopback OTLP/HTTP
 * receiver standing in for Loki's OTLP endpoint (Loki cannot be built here; see docs/stack.md).
 * Proves: exactly-once delivery by (stream, seq) of the demo orchestrator's records, verification
 * of what arrived (also read back through LokiQuerySource from a Loki-format stand-in), detection of
 * an altered copy, and no loss across a collector restart during export plus a 30 s outage of the
 * log endpoint (persistent sending queue).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runDemo } from '../../examples/demo-runner.js';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { LokiQuerySource } from '../../src/query/loki/loki-query-source.js';
import { SEAL_EVENT_NAME } from '../../src/record/record-kinds.js';
import { verifyRecords } from '../../src/entry/verify.js';
import { LokiStandIn, lokiEntryFromOtlp } from '../query/loki-stand-in.js';
import { OtlpLogReceiver, type ReceivedLog } from './otlp-log-receiver.js';
import { assertReachable, stackEnv, stackScript, type StackEnv } from './stack-env.js';

const KEY = randomBytes(32).toString('base64');
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');

/** Runs `audit-cli` (dist/src/cli/main.js) with a clean environment plus `env`; resolves with its exit code and output. */
function auditCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}
const KID = 'e2e';

function newLogger(env: StackEnv, service: string): AuditLogger {
  return createAuditLogger({
    signingKey: KEY,
    signingKeyId: KID,
    serviceName: service,
    otlp: { endpoint: env.collectorOtlpUrl, metrics: false },
    sealIntervalMs: 0,
    sealEveryRecords: 0,
  });
}

/** The stream's records as received, and how often each seq arrived. */
function streamOf(
  receiver: OtlpLogReceiver,
  service: string,
): { stream: string; logs: ReceivedLog[]; counts: Map<number, number>; sealSeq: number | undefined } {
  const logs = receiver.logs.filter((l) => l.resource['service.name'] === service);
  const stream = logs[0]?.attributes['audit.stream'] ?? '';
  const counts = new Map<number, number>();
  let sealSeq: number | undefined;
  for (const l of logs) {
    const seq = Number(l.attributes['audit.seq']);
    counts.set(seq, (counts.get(seq) ?? 0) + 1);
    if (l.eventName === SEAL_EVENT_NAME || (l.body ?? '').includes(`"event":"${SEAL_EVENT_NAME}"`)) sealSeq = seq;
  }
  return { stream, logs, counts, sealSeq };
}

/** Missing and duplicated seqs in 1..last. */
function gapsAndDuplicates(counts: Map<number, number>, last: number): { missing: number[]; duplicated: number[] } {
  const missing: number[] = [];
  const duplicated: number[] = [];
  for (let s = 1; s <= last; s++) {
    const n = counts.get(s) ?? 0;
    if (n === 0) missing.push(s);
    if (n > 1) duplicated.push(s);
  }
  return { missing, duplicated };
}

describe('@e2e logs: SDK → real collector (persistent queue) → OTLP log endpoint (loopback Loki stand-in)', function () {
  this.timeout(120_000);
  let env: StackEnv;
  let receiver: OtlpLogReceiver;

  before(async () => {
    env = stackEnv();
    await assertReachable('collector health check', env.collectorHealthUrl);
    receiver = new OtlpLogReceiver(env.logReceiverPort);
    await receiver.start();
  });

  after(async () => {
    await receiver?.stop();
  });

  it('delivers every record of the demo orchestrator exactly once (by stream and seq); they verify; an altered copy does not', async () => {
    const service = `e2e-logs-${randomBytes(4).toString('hex')}`;
    const logger = newLogger(env, service);
    const summary = await runDemo({ audit: logger, leads: 40, seed: 11, workflow: 'sales' });
    expect(summary).to.be.an('object');
    await logger.shutdown(); // flushes; the signer writes the shutdown seal first
    await receiver.waitFor(
      () => streamOf(receiver, service).sealSeq !== undefined,
      30_000,
      'the shutdown seal to arrive',
    );
    await new Promise((r) => setTimeout(r, 1500)); // late duplicates would show up here
    const { stream, logs, counts, sealSeq } = streamOf(receiver, service);
    const last = sealSeq as number;
    expect(last).to.be.greaterThan(100);
    const { missing, duplicated } = gapsAndDuplicates(counts, last);
    expect(missing, 'missing seqs').to.deep.equal([]);
    expect(duplicated, 'duplicated seqs').to.deep.equal([]);
    expect(logs).to.have.length(last);
    expect(logger.getDiagnostics().totalFailures, JSON.stringify(logger.getDiagnostics().failures)).to.equal(0);

    const parts = logs.map((l) => ({ canonical: l.body ?? '', sig: l.attributes['audit.sig'] ?? '' }));
    const report = verifyRecords(parts, { [KID]: KEY });
    expect(report.status, report.summary).to.equal('clean');
    expect(report.recordsVerified).to.equal(last);

    const altered = parts.map((p) => ({ ...p }));
    const victim = altered[Math.floor(last / 2)] as { canonical: string; sig: string };
    victim.canonical = victim.canonical.replace('"body":"', '"body":"(edited in transit) ');
    expect(victim.canonical).to.not.equal(parts[Math.floor(last / 2)]?.canonical);
    const tampered = verifyRecords(altered, { [KID]: KEY });
    expect(tampered.status).to.equal('tampered');
    expect(tampered.countsByClass.modified).to.equal(1);

    // Read back the way `audit-cli integrity --source loki` does: through LokiQuerySource, from a
    // stand-in that stores what arrived as Loki's OTLP ingestion would (line = body, metadata = attributes).
    const loki = new LokiStandIn();
    await loki.start();
    try {
      loki.entries.push(...logs.map(lokiEntryFromOtlp));
      const source = new LokiQuerySource({ url: loki.url, selector: `{service_name="${service}"}` });
      const read = [];
      for await (const r of source.signedRecords()) read.push(r);
      expect(read).to.have.length(last);
      const viaLoki = verifyRecords(read, { [KID]: KEY });
      expect(viaLoki.status, viaLoki.summary).to.equal('clean');
      expect(viaLoki.streams.map((s) => s.stream)).to.deep.equal([stream]);

      // `audit-cli --source loki integrity` on the same records: clean (exit 0); one edited line: tampered (exit 1)
      const cliEnv = { AUDIT_VERIFY_KEYS: `${KID}:${KEY}`, AUDIT_LOKI_SELECTOR: `{service_name="${service}"}` };
      const clean = await auditCli(['--source', 'loki', '--loki-url', loki.url, 'integrity'], cliEnv);
      expect(clean.code, clean.stdout + clean.stderr).to.equal(0);
      expect(clean.stdout).to.match(/CLEAN/);
      const i = Math.floor(last / 3);
      const entry = loki.entries[i] as (typeof loki.entries)[number];
      loki.entries[i] = { ...entry, line: entry.line.replace('"body":"', '"body":"(edited in Loki) ') };
      const edited = await auditCli(['--source', 'loki', '--loki-url', loki.url, 'integrity'], cliEnv);
      expect(edited.code, edited.stdout + edited.stderr).to.equal(1);
      expect(edited.stdout).to.match(/modified/);
    } finally {
      await loki.stop();
    }
  });

  it('loses nothing when the collector restarts during export and the log endpoint is down for 30 s', async function () {
    this.timeout(150_000);
    const service = `e2e-outage-${randomBytes(4).toString('hex')}`;
    await receiver.stop(); // "Loki" down: the collector queues on disk and retries
    const downAt = Date.now();
    let logger: AuditLogger | undefined;
    try {
      logger = newLogger(env, service);
      for (let i = 0; i < 150; i++) logger.logLeadIngested(`A-${i}`, 'web', { i }, 'outage');
      await logger.forceFlush(); // batch A accepted by the collector, held in its persistent queue

      const stopped = await stackScript(env, 'stop.sh', '--only', 'collector'); // collector down with a non-empty queue
      expect(stopped).to.match(/collector stopped \(pid \d+\)/);
      for (let i = 0; i < 150; i++) logger.logLeadIngested(`B-${i}`, 'web', { i }, 'outage'); // exported while it restarts (SDK retries)
      await stackScript(env, 'start.sh', '--only', 'collector', '--keep-state');
      await logger.forceFlush();
      for (let i = 0; i < 150; i++) logger.logError('crm_timeout', `C-${i} timed out`, `C-${i}`, 'outage');
      await logger.shutdown();
      expect(streamOf(receiver, service).logs, 'nothing may arrive while the endpoint is down').to.have.length(0);

      const wait = 30_000 - (Date.now() - downAt);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      expect(Date.now() - downAt).to.be.at.least(30_000);
    } finally {
      await receiver.start(); // "Loki" back after ≥ 30 s
    }
    await receiver.waitFor(
      () => {
        const s = streamOf(receiver, service);
        return s.sealSeq !== undefined && s.counts.size >= s.sealSeq;
      },
      45_000,
      'every queued record to be delivered after the outage',
    );
    await new Promise((r) => setTimeout(r, 1500));
    const { logs, counts, sealSeq } = streamOf(receiver, service);
    expect(sealSeq).to.equal(451); // 450 records + the shutdown seal
    const { missing, duplicated } = gapsAndDuplicates(counts, 451);
    expect(missing, 'missing seqs').to.deep.equal([]);
    expect(duplicated, 'duplicated seqs').to.deep.equal([]);
    const report = verifyRecords(
      [...logs]
        .sort((a, b) => Number(a.attributes['audit.seq']) - Number(b.attributes['audit.seq']))
        .map((l) => ({ canonical: l.body ?? '', sig: l.attributes['audit.sig'] ?? '' })),
      { [KID]: KEY },
    );
    expect(report.status, report.summary).to.equal('clean');
    expect(logger?.getDiagnostics().totalFailures, JSON.stringify(logger?.getDiagnostics().failures)).to.equal(0);
  });
});
