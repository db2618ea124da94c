/**
 * Retention and the shipper: an expired segment the shipper has not sent is kept while the lag
 * is within `maxLagSeconds`; past it, the segment is deleted and its unsent records are declared
 * in signed loss records (reason `retention`) that reach the backend once it is back, so every
 * record is either delivered or covered by a declared loss.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { LOSS_EVENT_NAME } from '../../src/record/record-kinds.js';
import { lossOf, type RecordLoss } from '../../src/record/loss-record.js';
import type { AuditRecordContent } from '../../src/record/audit-record.js';
import { RETENTION_GUARD, RETENTION_LOSS_REASON } from '../../src/sinks/shipper/retention-guard.js';
import { verifyRecords } from '../../src/entry/verify.js';
import { tempDir, waitFor } from '../journal/helpers.js';
import { OtlpLogReceiver } from '../stack/otlp-log-receiver.js';

const KEY = randomBytes(32).toString('base64');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function logger(auditFile: string, receiver: OtlpLogReceiver, maxLagSeconds: number): AuditLogger {
  return createAuditLogger({
    signingKey: KEY,
    signingKeyId: 'ret',
    env: { OTEL_EXPORTER_OTLP_TIMEOUT: '1000' },
    auditFile,
    maxFileSizeMb: 0.01, // ~10 KB segments
    retentionDays: 1 / 86_400, // segments expire after 1 s
    flushIntervalMs: 20,
    sealIntervalMs: 0,
    sealEveryRecords: 0,
    otlp: {
      logsUrl: `${receiver.url}/otlp/v1/logs`,
      metrics: false,
      shipper: {
        protocol: 'http/json', // the receiver takes OTLP/JSON
        retryInitialMs: 50,
        retryMaxMs: 200,
        pollIntervalMs: 20,
        maxLagSeconds,
        drainTimeoutMs: 10_000,
      },
    },
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Segment names without `.gz` (a segment keeps its name when compressed). */
const segmentsIn = async (dir: string): Promise<string[]> => [
  ...new Set(
    (await readdir(dir))
      .filter((f) => /^audit\.\d{8}_\d{6}(-\d+)?\.log(\.gz)?$/.test(f))
      .map((f) => f.replace(/\.gz$/, '')),
  ),
];

describe('retention with the journal shipper', function () {
  this.timeout(60_000);
  let receiver: OtlpLogReceiver;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    receiver = new OtlpLogReceiver(await freePort());
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await receiver.stop();
    await cleanup();
  });

  async function burst(audit: AuditLogger, tag: string): Promise<void> {
    for (let i = 0; i < 150; i++) audit.logLeadIngested(`${tag}-${i}`, 'web', { i, note: 'n'.repeat(200) }, 'sales');
    await sleep(200); // the journal writes within flushIntervalMs (forceFlush would also wait for the shipper)
  }

  it('keeps expired segments the shipper has not sent while the lag is within the limit', async () => {
    const audit = logger(path.join(dir, 'audit.log'), receiver, 3600); // receiver down, generous limit
    await burst(audit, 'A');
    const before = await segmentsIn(dir);
    expect(before.length).to.be.greaterThan(3);
    await sleep(2100);
    await burst(audit, 'B'); // rotations → retention sweeps; every earlier segment has expired
    await waitFor(() => audit.getDiagnostics().failures.some((f) => f.kind === RETENTION_GUARD.held), 5000);
    const after = await segmentsIn(dir);
    expect(after, 'no unsent segment deleted').to.include.members(before);
    expect(audit.getDiagnostics().failures.map((f) => f.kind)).to.not.include(RETENTION_GUARD.lost);
    await receiver.start();
    await audit.shutdown();
    expect(receiver.logs.length, 'everything arrives once the collector is back').to.equal(301);
  });

  it('past the lag limit deletes them and declares what was never sent in signed loss records that reach the backend', async () => {
    const audit = logger(path.join(dir, 'audit.log'), receiver, 1); // receiver down, lag limit 1 s
    await burst(audit, 'A');
    const before = await segmentsIn(dir);
    await sleep(2100);
    await burst(audit, 'B');
    await waitFor(() => audit.getDiagnostics().failures.some((f) => f.kind === RETENTION_GUARD.lost), 5000);
    // the sweep writes its retention record before it deletes: wait for the deletion itself
    await waitFor(async () => (await segmentsIn(dir)).filter((s) => before.includes(s)).length < before.length, 5000);
    const after = await segmentsIn(dir);
    expect(before.filter((s) => after.includes(s)).length, 'unsent segments deleted').to.be.lessThan(before.length);
    await receiver.start();
    await audit.shutdown();
    await sleep(300);
    const stream = audit.getDiagnostics().streamId;
    const arrived = new Set(receiver.ofStream(stream).map((l) => Number(l.attributes['audit.seq'])));
    const losses: RecordLoss[] = receiver
      .ofStream(stream)
      .filter((l) => l.eventName === LOSS_EVENT_NAME)
      .map((l) => lossOf(JSON.parse(l.body ?? '{}') as AuditRecordContent) as RecordLoss);
    expect(losses.length, 'loss records arrived').to.be.greaterThan(0);
    for (const loss of losses) {
      expect(loss.reason).to.equal(RETENTION_LOSS_REASON);
      expect(loss.stream).to.equal(stream);
    }
    const last = audit.getDiagnostics().head?.seq as number;
    const unexplained: number[] = [];
    for (let seq = 1; seq <= last; seq++) {
      if (!arrived.has(seq) && !losses.some((l) => seq >= l.from && seq <= l.to)) unexplained.push(seq);
    }
    expect(unexplained, 'seqs neither delivered nor declared lost').to.deep.equal([]);
    expect(arrived.size).to.be.lessThan(last); // something was really lost
    // The verifier over what reached the backend: the gap is accounted loss, nothing is missing.
    const sorted = receiver
      .ofStream(stream)
      .sort((a, b) => Number(a.attributes['audit.seq']) - Number(b.attributes['audit.seq']));
    const report = verifyRecords(
      sorted.map((l) => ({ canonical: l.body ?? '', sig: l.attributes['audit.sig'] ?? '' })),
      { ret: KEY },
    );
    expect(report.countsByClass['accounted-loss'], report.summary).to.be.greaterThan(0);
    expect(report.countsByClass, report.summary).to.not.have.any.keys('missing', 'modified', 'inserted');
  });
});
