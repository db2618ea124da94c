/**
 * What the shipper does with each kind of answer from a real loopback OTLP/HTTP peer (a stand-in
 * for a backend such as Loki's OTLP endpoint, which rejects single records, e.g. too old or too
 * long): a record rejected permanently (HTTP 400) is isolated by splitting the batch, everything
 * else arrives, and a signed loss record declares it, so the verifier reports accounted loss
 * (exit 4), not a missing record; a partial success is counted; 503 with `Retry-After` is retried
 * after the time asked; 401 is not about the records: they are kept and retried, nothing is
 * declared lost.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { readJournal } from '../../src/sinks/journal/reader.js';
import { lossOf } from '../../src/record/loss-record.js';
import type { AuditRecordContent } from '../../src/record/audit-record.js';
import { LOSS_EVENT_NAME } from '../../src/record/record-kinds.js';
import { SHIPPER_FAILURE } from '../../src/sinks/shipper/shipper-status.js';
import { verifyRecords } from '../../src/entry/verify.js';
import { tempDir } from '../journal/helpers.js';

const KEY = randomBytes(32).toString('base64');
const KID = 'rej';

/** A record as the peer received it. */
interface Arrived {
  readonly stream: string;
  readonly seq: number;
  readonly body: string;
  readonly sig: string;
  readonly event: string | undefined;
  readonly leadId: string | undefined;
}

/** What the peer answers to a request, given its records. */
type Answer = (
  records: readonly Arrived[],
  request: number,
) => {
  status: number;
  body?: string;
  headers?: Record<string, string>;
};

type KeyValue = { key: string; value: { stringValue?: string; intValue?: string | number } };

/** Loopback OTLP/JSON peer; stores the records of the requests it answers 2xx. */
class Peer {
  readonly arrived: Arrived[] = [];
  readonly requests: { at: number; status: number; records: number }[] = [];
  private server: Server | undefined;
  constructor(private readonly answer: Answer) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/v1/logs`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      resourceLogs: {
        scopeLogs: { logRecords: { body: { stringValue: string }; attributes: KeyValue[]; eventName?: string }[] }[];
      }[];
    };
    const records: Arrived[] = [];
    for (const rl of json.resourceLogs)
      for (const sl of rl.scopeLogs)
        for (const lr of sl.logRecords) {
          const attr = (k: string) => lr.attributes.find((a) => a.key === k)?.value;
          records.push({
            stream: String(attr('audit.stream')?.stringValue),
            seq: Number(attr('audit.seq')?.intValue),
            body: lr.body.stringValue,
            sig: String(attr('audit.sig')?.stringValue),
            event: lr.eventName,
            leadId: attr('orchestrator.lead.id')?.stringValue,
          });
        }
    const answer = this.answer(records, this.requests.length + 1);
    this.requests.push({ at: Date.now(), status: answer.status, records: records.length });
    if (answer.status >= 200 && answer.status < 300) this.arrived.push(...records);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '{}');
  }
}

function logger(auditFile: string, url: string): AuditLogger {
  return createAuditLogger({
    signingKey: KEY,
    signingKeyId: KID,
    env: {},
    auditFile,
    flushIntervalMs: 20,
    sealIntervalMs: 0,
    sealEveryRecords: 0,
    otlp: {
      logsUrl: url,
      metrics: false,
      shipper: {
        protocol: 'http/json',
        maxBatchRecords: 64, // several batches, and a real split of the one holding the rejected record
        retryInitialMs: 50,
        retryMaxMs: 200,
        pollIntervalMs: 20,
        drainTimeoutMs: 10_000,
      },
    },
  });
}

async function journalSeqs(auditFile: string): Promise<number[]> {
  const seqs: number[] = [];
  for await (const e of readJournal(auditFile)) if (e.decoded.ok) seqs.push(e.decoded.record.rec.seq);
  return seqs;
}

describe('journal shipper: answers of the peer', function () {
  this.timeout(30_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let peer: Peer | undefined;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => {
    await peer?.stop();
    peer = undefined;
    await cleanup();
  });

  it('a record rejected with HTTP 400 is isolated, the rest arrives, a signed loss record declares it; the verifier reports accounted loss (exit 4)', async () => {
    peer = new Peer((records) =>
      records.some((r) => r.leadId === 'L-poison')
        ? { status: 400, body: '{"code":3,"message":"entry for stream is too old"}' }
        : { status: 200 },
    );
    const auditFile = path.join(dir, 'audit.log');
    const audit = logger(auditFile, await peer.start());
    for (let i = 0; i < 300; i++) audit.logLeadIngested(i === 137 ? 'L-poison' : `L-${i}`, 'web', { i }, 'sales');
    await audit.forceFlush(); // the loss record is written while the signer is open, and shipped too
    const status = audit.getDiagnostics();
    await audit.shutdown();

    const poisonSeq = 138;
    const inJournal = await journalSeqs(auditFile);
    const arrivedSeqs = new Set(peer.arrived.map((r) => r.seq));
    expect(
      inJournal.filter((s) => s !== poisonSeq && !arrivedSeqs.has(s)),
      'records of the journal that did not arrive',
    ).to.deep.equal([]);
    expect(arrivedSeqs.has(poisonSeq)).to.equal(false);
    expect(peer.arrived.length, 'each arrived once').to.equal(inJournal.length - 1);
    // the split isolated it: at most log2(64) + 1 rejected requests, the rest of its batch delivered
    const rejectedRequests = peer.requests.filter((r) => r.status === 400);
    expect(rejectedRequests.length).to.be.within(2, 8);
    expect(rejectedRequests.at(-1)?.records).to.equal(1);

    const losses = peer.arrived.filter((r) => r.event === LOSS_EVENT_NAME);
    expect(losses, 'one loss record arrived').to.have.length(1);
    const loss = lossOf(JSON.parse((losses[0] as Arrived).body) as AuditRecordContent);
    expect(loss).to.deep.include({ from: poisonSeq, to: poisonSeq, count: 1, reason: 'rejected (HTTP 400)' });
    expect(loss?.stream).to.equal((losses[0] as Arrived).stream);

    expect(status.shipping?.recordsRejected).to.equal(1);
    const counted = status.failures.find((f) => f.kind === SHIPPER_FAILURE.rejected);
    expect(counted?.count).to.equal(1);
    expect(counted?.lastDetail).to.match(/seq 138-138\): HTTP 400.*too old.*declared in a signed loss record/);

    const report = verifyRecords(
      [...peer.arrived].sort((a, b) => a.seq - b.seq).map((r) => ({ canonical: r.body, sig: r.sig })),
      { [KID]: KEY },
    );
    expect(report.status, report.summary).to.equal('accounted-loss');
    expect(report.exitCode).to.equal(4);
    expect(report.countsByClass, report.summary).to.not.have.any.keys('missing', 'modified', 'inserted');
  });

  it('a partial success is counted as rejected records (without a loss record: the peer does not say which)', async () => {
    peer = new Peer((records) =>
      records.some((r) => r.leadId === 'L-half')
        ? { status: 200, body: '{"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"1 line too long"}}' }
        : { status: 200 },
    );
    const audit = logger(path.join(dir, 'audit.log'), await peer.start());
    for (let i = 0; i < 100; i++) audit.logLeadIngested(i === 50 ? 'L-half' : `L-${i}`, 'web', { i }, 'sales');
    await audit.forceFlush();
    const status = audit.getDiagnostics();
    await audit.shutdown();
    expect(status.shipping?.recordsRejected).to.equal(1);
    expect(status.shipping?.recordsShipped).to.equal(99);
    const counted = status.failures.find((f) => f.kind === SHIPPER_FAILURE.rejected);
    expect(counted?.lastDetail).to.match(/dropped 1 record\(s\).*partial success: 1 line too long/);
    expect(peer.requests.every((r) => r.status === 200)).to.equal(true);
  });

  it('503 with Retry-After is retried after the time asked; 401 keeps the records (retried, nothing declared lost)', async () => {
    peer = new Peer((_records, request) =>
      request === 1
        ? { status: 503, headers: { 'retry-after': '1' } }
        : request <= 3
          ? { status: 401, body: '{"message":"bad token"}' }
          : { status: 200 },
    );
    const auditFile = path.join(dir, 'audit.log');
    const audit = logger(auditFile, await peer.start());
    for (let i = 0; i < 10; i++) audit.logLeadIngested(`L-${i}`, 'web', { i }, 'sales');
    await audit.forceFlush();
    const status = audit.getDiagnostics();
    await audit.shutdown();
    const [first, second] = peer.requests;
    expect(second?.at ?? 0, 'the retry waited for Retry-After (retryMaxMs is 200 ms)').to.be.at.least(
      (first?.at ?? 0) + 950,
    );
    expect(peer.requests.map((r) => r.status).slice(0, 4)).to.deep.equal([503, 401, 401, 200]);
    expect(status.shipping?.recordsRejected).to.equal(0);
    expect(status.failures.find((f) => f.kind === SHIPPER_FAILURE.export)?.lastDetail).to.match(
      /refused \(HTTP 401.*bad token.*kept in the journal/,
    );
    const inJournal = await journalSeqs(auditFile);
    expect(peer.arrived.map((r) => r.seq).sort((a, b) => a - b)).to.deep.equal(inJournal);
    expect(peer.arrived.some((r) => r.event === LOSS_EVENT_NAME)).to.equal(false);
  });
});
