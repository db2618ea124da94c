/**
 * Loki query source against a loopback stand-in that answers in Loki's documented query_range
 * format (test/query/loki-stand-in.ts — a unit-test stand-in, NOT Loki). Records are produced by
 * the real SigningProcessor and verified with the shared verifier.
 */
import { randomBytes } from 'node:crypto';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR, EVENT_NAMES } from '../../src/events/semconv.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { LokiQueryError } from '../../src/query/loki/loki-client.js';
import { LokiQuerySource } from '../../src/query/loki/loki-query-source.js';
import { LokiResponseError, parseStreamsResponse } from '../../src/query/loki/loki-response.js';
import { verifyRecords } from '../../src/entry/verify.js';
import { LokiStandIn, type StandInEntry } from './loki-stand-in.js';

const SECRET = randomBytes(32).toString('base64');
const BASE_NS = BigInt(Date.now() - 60_000) * 1_000_000n;

/** Signs `n` records (leads, errors, performance) with the real signer and returns them as Loki would store them. */
function signedEntries(n: number, tsOf: (i: number) => bigint = (i) => BASE_NS + BigInt(i) * 1000n): StandInEntry[] {
  const exporter = new InMemoryLogRecordExporter();
  const signer = new SigningProcessor({
    keyring: keyringOf({ k1: SECRET }),
    sealIntervalMs: 0,
    sealEveryRecords: 0,
    diagnostics: new AuditDiagnostics(),
  });
  const provider = new LoggerProvider({ processors: [signer, new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('orchestrator-audit');
  for (let i = 0; i < n; i++) {
    const kind = i % 5 === 4 ? 'error' : i % 5 === 3 ? 'performance' : 'lead_ingested';
    const attributes: Record<string, string | number> = {
      [ATTR.eventType]: kind,
      [ATTR.workflow]: i % 2 === 0 ? 'inbound' : 'outbound',
      [ATTR.leadId]: `L-${i % 7}`,
    };
    if (kind === 'performance') {
      attributes[ATTR.operation] = 'enrich';
      attributes[ATTR.durationSeconds] = (i % 10) / 10 + 0.05;
    }
    logger.emit({
      eventName: EVENT_NAMES[kind],
      severityNumber: kind === 'error' ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: kind === 'error' ? 'ERROR' : 'INFO',
      body: `record ${i}`,
      attributes,
    });
  }
  const entries = exporter.getFinishedLogRecords().map((log, i) => entryOf(log, tsOf(i)));
  void provider.shutdown();
  return entries;
}

function entryOf(log: ReadableLogRecord, tsNs: bigint): StandInEntry {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(log.attributes))
    metadata[k.replace(/\./g, '_')] = typeof v === 'string' ? v : JSON.stringify(v);
  return { tsNs, line: String(log.body), labels: { service_name: 'orchestrator' }, metadata };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('Loki query source (unit, against a loopback stand-in in Loki response format)', () => {
  let loki: LokiStandIn;
  const now = (): Date => new Date();

  beforeEach(async () => {
    loki = new LokiStandIn();
    await loki.start();
  });
  afterEach(async () => {
    await loki.stop();
  });

  it('reads every signed record across pages (ties at page boundaries included) and they verify', async () => {
    // 3 records per timestamp, pages of 7: boundaries fall inside groups of equal timestamps
    loki.entries.push(...signedEntries(50, (i) => BASE_NS + BigInt(Math.floor(i / 3)) * 1000n));
    const source = new LokiQuerySource({ url: loki.url, pageSize: 7, now });
    const records = await collect(source.signedRecords());
    expect(records).to.have.length(50);
    expect(new Set(records.map((r) => r.sig)).size).to.equal(50);
    expect(loki.queries.length).to.be.greaterThan(7);
    const report = verifyRecords(records, { k1: SECRET }, { ordered: true });
    expect(report.recordsVerified).to.equal(50);
    expect(report.countsByClass.modified ?? 0).to.equal(0);
    expect(report.countsByClass.missing ?? 0).to.equal(0);
    expect(records[0]?.location).to.match(/^loki:[0-9a-f]+#1@\d+$/);
  });

  it('a record whose line was edited in Loki fails verification as modified', async () => {
    loki.entries.push(...signedEntries(20));
    const victim = loki.entries[9] as StandInEntry;
    loki.entries[9] = { ...victim, line: victim.line.replace('record 9', 'record 99') };
    const records = await collect(new LokiQuerySource({ url: loki.url, now }).signedRecords());
    const report = verifyRecords(records, { k1: SECRET });
    expect(report.status).to.equal('tampered');
    expect(report.countsByClass.modified).to.equal(1);
  });

  it('a deleted record is reported missing', async () => {
    loki.entries.push(...signedEntries(20));
    loki.entries.splice(5, 1);
    const report = verifyRecords(await collect(new LokiQuerySource({ url: loki.url, now }).signedRecords()), {
      k1: SECRET,
    });
    expect(report.status).to.equal('tampered');
    expect(report.countsByClass.missing).to.equal(1);
  });

  it('works when Loki merges structured metadata into the stream labels (no categorize-labels)', async () => {
    loki.mergeMetadataIntoLabels = true;
    loki.entries.push(...signedEntries(12));
    const records = await collect(new LokiQuerySource({ url: loki.url, now }).signedRecords());
    expect(records).to.have.length(12);
    expect(verifyRecords(records, { k1: SECRET }).recordsVerified).to.equal(12);
  });

  it('skips exact duplicates (at-least-once delivery) once and counts them', async () => {
    const entries = signedEntries(10);
    loki.entries.push(...entries, { ...(entries[4] as StandInEntry) });
    const source = new LokiQuerySource({ url: loki.url, now });
    const records = await collect(source.signedRecords());
    expect(records).to.have.length(10);
    expect(source.duplicatesSkipped).to.equal(1);
  });

  it('queryEvents pushes filters down as LogQL label filters and returns matching events, most recent with limit', async () => {
    loki.entries.push(...signedEntries(35));
    const source = new LokiQuerySource({ url: loki.url, now });
    const events = await source.queryEvents({ leadId: 'L-3', workflow: 'outbound' });
    expect(loki.queries.at(-1)).to.equal(
      '{service_name=~".+"} | audit_stream != "" | orchestrator_lead_id = "L-3" | orchestrator_workflow = "outbound"',
    );
    expect(events.length).to.be.greaterThan(0);
    for (const ev of events) expect([ev.leadId, ev.workflow]).to.deep.equal(['L-3', 'outbound']);
    const seqs = events.map((e) => e.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    const last2 = await source.queryEvents({ eventType: 'error', limit: 2 });
    expect(last2.map((e) => e.seq)).to.deep.equal([30, 35]);
    const history = await source.getLeadHistory('L-0');
    expect(history.map((e) => e.seq)).to.deep.equal([1, 8, 15, 22, 29]);
  });

  it('statistics and exact performance from the records', async () => {
    loki.entries.push(...signedEntries(20));
    const source = new LokiQuerySource({ url: loki.url, now });
    const stats = await source.getStatistics();
    expect(stats.totalEvents).to.equal(20);
    expect(stats.errors).to.equal(4);
    expect(stats.byType).to.deep.equal({ lead_ingested: 12, performance: 4, error: 4 });
    expect(stats.leadsProcessed).to.equal(7);
    const perf = await source.getPerformanceStats('enrich');
    expect(perf.enrich?.count).to.equal(4);
    expect(perf.enrich?.max).to.be.closeTo(0.85, 1e-9);
  });

  it('time range bounds the query (start inclusive, end exclusive)', async () => {
    loki.entries.push(...signedEntries(10));
    const source = new LokiQuerySource({ url: loki.url, now });
    const startTime = new Date(Number((BASE_NS + 3000n) / 1_000_000n));
    // entries are 1 µs apart: all 10 fall inside the same millisecond range
    expect(await source.queryEvents({ startTime })).to.have.length(10);
    expect(await source.queryEvents({ endTime: new Date(Number(BASE_NS / 1_000_000n)) })).to.have.length(0);
  });

  it('fails clearly when more entries than a page share one timestamp', async () => {
    loki.entries.push(...signedEntries(10, () => BASE_NS));
    const source = new LokiQuerySource({ url: loki.url, pageSize: 4, now });
    let caught: unknown;
    try {
      await collect(source.signedRecords());
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(LokiQueryError);
    expect(String(caught)).to.match(/share timestamp/);
  });

  it('reports Loki errors and unreachable Loki as LokiQueryError', async () => {
    const bad = new LokiQuerySource({ url: loki.url, selector: '{service_name="x"} |~ "unsupported"', now });
    let caught: unknown;
    try {
      await bad.queryEvents();
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(LokiQueryError);
    expect((caught as LokiQueryError).status).to.equal(400);
    const url = loki.url;
    await loki.stop();
    caught = undefined;
    try {
      await new LokiQuerySource({ url, now, timeoutMs: 2000 }).getStatistics();
    } catch (err) {
      caught = err;
    }
    expect(String(caught)).to.match(/unreachable/);
    await loki.start(); // afterEach stops it
  });

  it('parseStreamsResponse rejects bodies that are not a streams result', () => {
    expect(() => parseStreamsResponse({ status: 'error' })).to.throw(LokiResponseError);
    expect(() => parseStreamsResponse({ status: 'success', data: { resultType: 'matrix', result: [] } })).to.throw(
      /streams/,
    );
    expect(() =>
      parseStreamsResponse({
        status: 'success',
        data: { resultType: 'streams', result: [{ stream: {}, values: [['x', 'l']] }] },
      }),
    ).to.throw(/integer/);
    const ok = parseStreamsResponse({
      status: 'success',
      data: {
        resultType: 'streams',
        encodingFlags: ['categorize-labels'],
        result: [{ stream: { a: '1' }, values: [['5', 'l', { structuredMetadata: { audit_sig: 's' } }]] }],
      },
    });
    expect(ok).to.deep.equal([{ tsNs: 5n, line: 'l', labels: { a: '1' }, metadata: { audit_sig: 's' } }]);
  });

  it('needs a URL', () => {
    expect(() => new LokiQuerySource({ env: {} })).to.throw(/Loki URL/);
  });
});
