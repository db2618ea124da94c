/**
 * @e2e Shipping from the journal through the real collector into the loopback OTLP log endpoint
 * (Loki stand-in). The application runs as a child process (test/stack/journal-app.ts) so that it
 * can be killed. Every record the journal holds must arrive, identified by (stream, seq): after a
 * burst as fast as the app can log, after a kill -9 mid-burst and a restart on the same journal,
 * and across a 30 s collector outage mid-burst. Copies from at-least-once delivery must be exact
 * (read back through LokiQuerySource they are skipped, and what remains verifies without
 * findings of duplicates). With the collector down and retention pressing, unsent segments are
 * deleted past the lag limit with a signed loss record that the verifier reports as accounted loss.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { LokiQuerySource } from '../../src/query/loki/loki-query-source.js';
import { readJournal } from '../../src/sinks/journal/reader.js';
import { verifyRecords } from '../../src/entry/verify.js';
import { LokiStandIn, lokiEntryFromOtlp } from '../query/loki-stand-in.js';
import { OtlpLogReceiver, type ReceivedLog } from './otlp-log-receiver.js';
import { assertReachable, stackEnv, stackScript, type StackEnv } from './stack-env.js';

const KEY = randomBytes(32).toString('base64');
const KID = 'e2e-ship';
const APP = path.join(path.dirname(fileURLToPath(import.meta.url)), 'journal-app.js');
/** Records of the burst test (the documented 1,000,000-record run sets AUDIT_E2E_SHIP_BURST). */
const BURST = Number(process.env.AUDIT_E2E_SHIP_BURST ?? 30_000);

interface AppLine {
  readonly phase: string;
  readonly emitted: number;
  readonly behind?: number;
  readonly secondsBehind?: number;
  readonly state?: string;
}

/** A running journal-app child, its parsed progress lines and its exit. */
interface App {
  readonly child: ChildProcess;
  readonly lines: AppLine[];
  readonly exited: Promise<number | null>;
  stderr: string;
}

function startApp(env: StackEnv, auditFile: string, count: number, service: string, perSecond = 0): App {
  const child = spawn(
    process.execPath,
    [APP, auditFile, String(count), env.collectorOtlpUrl, service, String(perSecond)],
    {
      env: { PATH: process.env.PATH ?? '', AUDIT_SIGNING_KEY: KEY, AUDIT_SIGNING_KEY_ID: KID },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const app: App = {
    child,
    lines: [],
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  let carry = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (carry + chunk.toString('utf8')).split('\n');
    carry = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) app.lines.push(JSON.parse(p) as AppLine);
  });
  child.stderr?.on('data', (chunk: Buffer) => (app.stderr += chunk.toString('utf8')));
  return app;
}

async function journalKeys(auditFile: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of readJournal(auditFile))
    if (e.decoded.ok) keys.push(`${e.decoded.record.rec.stream}:${e.decoded.record.rec.seq}`);
  return keys;
}

function ofService(receiver: OtlpLogReceiver, service: string): ReceivedLog[] {
  return receiver.logs.filter((l) => l.resource['service.name'] === service);
}

const keyOf = (l: ReceivedLog): string => `${l.attributes['audit.stream']}:${l.attributes['audit.seq']}`;

/** Waits until every journal key has arrived; returns the keys still missing at the limit. */
async function waitForAll(
  receiver: OtlpLogReceiver,
  service: string,
  expected: readonly string[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = new Set(ofService(receiver, service).map(keyOf));
    const missing = expected.filter((k) => !got.has(k));
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Copies of one (stream, seq) that differ from each other: must be none. */
function inexactCopies(logs: readonly ReceivedLog[]): string[] {
  const first = new Map<string, string>();
  const bad: string[] = [];
  for (const l of logs) {
    const content = JSON.stringify([l.body, l.attributes, l.resource, l.timeUnixNano, l.eventName]);
    const seen = first.get(keyOf(l));
    if (seen === undefined) first.set(keyOf(l), content);
    else if (seen !== content) bad.push(keyOf(l));
  }
  return bad;
}

/** Reads what arrived back the way `audit-cli --source loki integrity` does and verifies it. */
async function verifyViaLoki(
  logs: readonly ReceivedLog[],
  service: string,
): Promise<{ report: ReturnType<typeof verifyRecords>; read: number }> {
  const loki = new LokiStandIn();
  await loki.start();
  try {
    loki.entries.push(...logs.map(lokiEntryFromOtlp));
    const source = new LokiQuerySource({ url: loki.url, selector: `{service_name="${service}"}` });
    const read = [];
    for await (const r of source.signedRecords()) read.push(r);
    return { report: verifyRecords(read, { [KID]: KEY }), read: read.length };
  } finally {
    await loki.stop();
  }
}

describe('@e2e shipping from the journal: app → journal → shipper → real collector → OTLP log endpoint', function () {
  this.timeout(240_000);
  let env: StackEnv;
  let receiver: OtlpLogReceiver;
  let dir: string;

  before(async () => {
    env = stackEnv();
    await assertReachable('collector health check', env.collectorHealthUrl);
    receiver = new OtlpLogReceiver(env.logReceiverPort);
    await receiver.start();
    dir = await mkdtemp(path.join(tmpdir(), 'ship-e2e-'));
  });
  after(async () => {
    await receiver?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`${BURST} records logged as fast as the app can: every (stream, seq) of the journal arrives`, async () => {
    const service = `ship-burst-${randomBytes(3).toString('hex')}`;
    const auditFile = path.join(dir, `${service}.log`);
    const app = startApp(env, auditFile, BURST, service);
    const code = await app.exited;
    expect(code, app.stderr).to.equal(0);
    expect(app.lines.at(-1)?.phase).to.equal('done');
    expect(app.lines.at(-1)?.behind).to.equal(0);
    const expected = await journalKeys(auditFile);
    expect(expected).to.have.length(BURST + 1); // + shutdown seal
    const missing = await waitForAll(receiver, service, expected, 120_000);
    expect(missing.length, `missing, e.g. ${missing.slice(0, 5).join(' ')}`).to.equal(0);
    expect(inexactCopies(ofService(receiver, service))).to.deep.equal([]);
  });

  it('kill -9 mid-burst, restart on the same journal: every (stream, seq) arrives; copies are exact and verify as one', async () => {
    const service = `ship-kill-${randomBytes(3).toString('hex')}`;
    const auditFile = path.join(dir, `${service}.log`);
    const first = startApp(env, auditFile, 1_000_000, service);
    await receiver.waitFor(() => ofService(receiver, service).length >= 3000, 60_000, 'the first records to arrive');
    first.child.kill('SIGKILL');
    expect(await first.exited).to.equal(null);
    const emittedBeforeKill = first.lines.at(-1)?.emitted ?? 0;
    const second = startApp(env, auditFile, 100, service);
    expect(await second.exited, second.stderr).to.equal(0);
    const expected = await journalKeys(auditFile);
    const streams = new Set(expected.map((k) => k.split(':')[0]));
    expect(streams.size, 'two streams: the killed process and the restarted one').to.equal(2);
    expect(expected.length).to.be.greaterThan(3000 + 101);
    const missing = await waitForAll(receiver, service, expected, 120_000);
    expect(
      missing.length,
      `missing, e.g. ${missing.slice(0, 5).join(' ')} (killed after ~${emittedBeforeKill} emitted)`,
    ).to.equal(0);
    const logs = ofService(receiver, service);
    expect(inexactCopies(logs)).to.deep.equal([]);
    const { report, read } = await verifyViaLoki(logs, service);
    expect(read, 'exact copies are read once').to.equal(expected.length);
    expect(report.countsByClass).to.not.have.any.keys('inserted', 'modified', 'deleted', 'missing');
    expect(report.recordsVerified).to.equal(expected.length);
  });

  it('collector down for 30 s mid-burst: the shipper lags (visible), then every (stream, seq) arrives', async () => {
    const service = `ship-outage-${randomBytes(3).toString('hex')}`;
    const auditFile = path.join(dir, `${service}.log`);
    const app = startApp(env, auditFile, 20_000, service, 500); // ~40 s of logging: the outage is in the middle
    let restarted = false;
    try {
      await receiver.waitFor(() => ofService(receiver, service).length >= 1000, 60_000, 'the first records to arrive');
      const stopped = await stackScript(env, 'stop.sh', '--only', 'collector');
      expect(stopped).to.match(/collector stopped/);
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, 30_000));
      const during = app.lines.filter((l) => l.state === 'retrying');
      expect(during.length, 'the app reported its shipper retrying').to.be.greaterThan(0);
      expect(Math.max(...during.map((l) => l.behind ?? 0)), 'records behind while down').to.be.greaterThan(0);
      expect(Math.max(...during.map((l) => l.secondsBehind ?? 0)), 'seconds behind while down').to.be.greaterThan(20);
      await stackScript(env, 'start.sh', '--only', 'collector', '--keep-state');
      restarted = true;
      expect(Date.now() - downAt).to.be.at.least(30_000);
    } finally {
      if (!restarted) await stackScript(env, 'start.sh', '--only', 'collector', '--keep-state');
    }
    expect(await app.exited, app.stderr).to.equal(0);
    expect(app.lines.at(-1)?.behind).to.equal(0);
    const expected = await journalKeys(auditFile);
    expect(expected).to.have.length(20_001);
    const missing = await waitForAll(receiver, service, expected, 120_000);
    expect(missing.length, `missing, e.g. ${missing.slice(0, 5).join(' ')}`).to.equal(0);
    expect(inexactCopies(ofService(receiver, service))).to.deep.equal([]);
  });

  it('retention pressure with the collector down: the unsent segments are deleted with a loss record; the verifier reports accounted loss', async () => {
    const service = `ship-retention-${randomBytes(3).toString('hex')}`;
    const stopped = await stackScript(env, 'stop.sh', '--only', 'collector');
    expect(stopped).to.match(/collector stopped/);
    let audit: AuditLogger | undefined;
    try {
      audit = createAuditLogger({
        signingKey: KEY,
        signingKeyId: KID,
        env: { OTEL_EXPORTER_OTLP_TIMEOUT: '1000' },
        serviceName: service,
        auditFile: path.join(dir, `${service}.log`),
        maxFileSizeMb: 0.01,
        retentionDays: 1 / 86_400, // segments expire after 1 s
        flushIntervalMs: 20,
        sealIntervalMs: 0,
        sealEveryRecords: 0,
        otlp: {
          endpoint: env.collectorOtlpUrl,
          metrics: false,
          shipper: { retryInitialMs: 100, retryMaxMs: 500, maxLagSeconds: 1, drainTimeoutMs: 30_000 },
        },
      });
      const logger = audit;
      const burst = async (tag: string): Promise<void> => {
        for (let i = 0; i < 150; i++)
          logger.logLeadIngested(`${tag}-${i}`, 'web', { i, note: 'n'.repeat(200) }, 'sales');
        await new Promise((r) => setTimeout(r, 200));
      };
      await burst('A');
      await new Promise((r) => setTimeout(r, 2100));
      await burst('B');
      await receiver.waitFor(
        () => logger.getDiagnostics().failures.some((f) => f.kind === 'shipper.retention-loss'),
        10_000,
        'retention to delete unsent segments',
      );
    } finally {
      await stackScript(env, 'start.sh', '--only', 'collector', '--keep-state');
    }
    await audit.shutdown();
    const stream = audit.getDiagnostics().streamId;
    const last = audit.getDiagnostics().head?.seq as number;
    await receiver.waitFor(
      () => ofService(receiver, service).some((l) => Number(l.attributes['audit.seq']) === last),
      60_000,
      'the shutdown seal',
    );
    const logs = ofService(receiver, service);
    expect(
      logs.some((l) => l.eventName === 'audit.loss'),
      'a loss record arrived',
    ).to.equal(true);
    expect(new Set(logs.map((l) => l.attributes['audit.stream']))).to.deep.equal(new Set([stream]));
    const { report } = await verifyViaLoki(logs, service);
    expect(report.countsByClass['accounted-loss'], report.summary).to.be.greaterThan(0);
    expect(report.countsByClass, report.summary).to.not.have.any.keys('missing', 'modified', 'inserted');
  });
});
