import { createHmac } from 'node:crypto';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { expect } from 'chai';
import { ATTR } from '../../src/events/semconv.js';
import type { AuditRecordContent } from '../../src/record/audit-record.js';
import { canonicalize } from '../../src/record/canonical.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { SIGNING_FAILURE } from '../../src/processors/signing/attributes.js';
import { SEAL_EVENT_NAME, SIGNING_ATTR } from '../../src/record/record-kinds.js';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { verifyRecords } from '../../src/entry/verify.js';
import { pipeline, SECRET_1, waitFor, type Pipeline } from './helpers.js';

const KEYS = { k1: SECRET_1 };

function contentOf(body: unknown): AuditRecordContent {
  return JSON.parse(body as string) as AuditRecordContent;
}

describe('SigningProcessor in a real LoggerProvider', () => {
  const open: Pipeline[] = [];
  function make(...args: Parameters<typeof pipeline>): Pipeline {
    const p = pipeline(...args);
    open.push(p);
    return p;
  }
  afterEach(async () => {
    for (const p of open.splice(0)) await p.provider.shutdown().catch(() => undefined);
  });

  it('replaces the body by the canonical content and adds sig/stream/seq/kid attributes', () => {
    const p = make({ streamId: 'feedc0de00000001' });
    p.emitLeads(3);
    const records = p.records();
    expect(records).to.have.length(3);
    let prev = '';
    records.forEach((r, i) => {
      const body = r.body as string;
      expect(canonicalize(JSON.parse(body))).to.equal(body);
      const rec = contentOf(body);
      expect(rec).to.include({
        v: 1,
        stream: 'feedc0de00000001',
        seq: i + 1,
        prev,
        kid: 'k1',
        event: 'orchestrator.lead.ingested',
        sev: 'INFO',
        sevNum: 9,
        body: `Lead LEAD-${i + 1} ingested`,
      });
      expect(rec.ts).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(rec.tsNanos).to.be.within(0, 999_999);
      expect(rec.attrs[ATTR.leadId]).to.equal(`LEAD-${i + 1}`);
      expect(rec.attrs[ATTR.leadData]).to.deep.equal({ score: (i + 1) * 1.5, tags: ['a', 'b'], nested: { ok: true } });
      expect(rec.attrs).to.not.have.property(ATTR.sig);
      const sig = createHmac('sha256', Buffer.from(SECRET_1, 'base64')).update(body).digest('base64url');
      expect(r.attributes).to.include({
        [ATTR.sig]: sig,
        [ATTR.stream]: 'feedc0de00000001',
        [ATTR.seq]: i + 1,
        [ATTR.kid]: 'k1',
      });
      prev = sig;
    });
    expect(p.signer.head()).to.deep.equal({ stream: 'feedc0de00000001', seq: 3, sig: prev });
    // A live stream: everything verifies, but nothing is sealed yet.
    const report = verifyRecords(records, KEYS);
    expect(report.records?.map((v) => v.class)).to.deep.equal(['unsealed-tail', 'unsealed-tail', 'unsealed-tail']);
    expect(report.recordsVerified).to.equal(3);
  });

  it('gives each instance its own random 16-hex stream id', () => {
    const a = make();
    const b = make();
    expect(a.signer.streamId).to.match(/^[0-9a-f]{16}$/);
    expect(a.signer.streamId).to.not.equal(b.signer.streamId);
  });

  it('carries trace and span ids of a valid span context', () => {
    const p = make();
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    p.logger.emit({
      eventName: 'orchestrator.custom.x',
      body: 'in span',
      context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
    });
    p.logger.emit({ eventName: 'orchestrator.custom.x', body: 'no span' });
    const [inSpan, noSpan] = p.records().map((r) => contentOf(r.body));
    expect(inSpan).to.include({ trace: spanContext.traceId, span: spanContext.spanId });
    expect(noSpan).to.not.have.property('trace');
  });

  it('never throws on odd values, converts them to JSON-safe form and counts it', () => {
    const p = make();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const odd: Record<string, unknown>[] = [
      { bytes: new Uint8Array([1, 2, 255]), nan: Number.NaN, inf: -Infinity },
      { deep: { list: [1, undefined, null, 'x'], big: 10n as unknown as number } },
      { cyclic: cyclic as never, fn: (() => 1) as never, sym: Symbol('s') as never },
      { ['__proto__']: 'p' as never, date: new Date(0) as never },
    ];
    let shared: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared }; // 2^40 paths if copied naively
    odd.push({ dag: shared as never });
    expect(() => {
      for (const attributes of odd)
        p.logger.emit({
          body: { nested: attributes } as never,
          attributes: attributes as never,
          severityNumber: SeverityNumber.WARN,
        });
      p.logger.emit({ body: undefined });
    }).to.not.throw();
    const records = p.records();
    expect(records).to.have.length(odd.length + 1);
    for (const r of records) {
      const body = r.body as string;
      expect(canonicalize(JSON.parse(body))).to.equal(body);
      expect(r.attributes[ATTR.sig]).to.be.a('string').with.length(43);
    }
    const first = contentOf(records[0]?.body);
    expect(first.attrs.bytes).to.equal(
      'base64:' + Buffer.from([1, 2, 255]).toString('base64'),
      'bytes carry the same marker as sanitized helper arguments',
    );
    expect(first.attrs.nan).to.equal('NaN');
    expect(first.attrs.inf).to.equal('-Infinity');
    expect(contentOf(records[odd.length]?.body).body).to.equal(null);
    expect(p.diagnostics.total(SIGNING_FAILURE.value)).to.be.greaterThan(0);
    expect(p.diagnostics.total(SIGNING_FAILURE.sign)).to.equal(0);
    expect(verifyRecords(records, KEYS).findings.filter((f) => f.class !== 'unsealed-tail')).to.deep.equal([]);
  });

  it('signs records with digit-leading keys in canonical form too', () => {
    const p = make();
    p.logger.emit({ body: { '10': 'a', '9': 'b', x: 1 }, attributes: { '2': 'two', '10': { '1': true, b: 0 } } });
    p.emitLeads(1);
    for (const r of p.records()) expect(canonicalize(JSON.parse(r.body as string))).to.equal(r.body);
    expect(verifyRecords(p.records(), KEYS).recordsVerified).to.equal(2);
  });

  it('counts records whose audit attributes the SDK attribute limit dropped', async () => {
    const diagnostics = new AuditDiagnostics();
    const signer = new SigningProcessor({ keyring: keyringOf(KEYS), sealIntervalMs: 0, diagnostics });
    const provider = new LoggerProvider({ processors: [signer], logRecordLimits: { attributeCountLimit: 2 } });
    provider.getLogger('t').emit({ body: 'x', attributes: { a: 1, b: 2 } });
    provider.getLogger('t').emit({ body: 'y' });
    await provider.shutdown();
    expect(diagnostics.total(SIGNING_FAILURE.sign)).to.equal(1);
  });

  it('in unsigned mode builds the same records and chain with empty kid and sig', () => {
    const p = make({ integrity: false, env: {} });
    p.emitLeads(2);
    const records = p.records();
    expect(records.map((r) => contentOf(r.body).seq)).to.deep.equal([1, 2]);
    expect(records.map((r) => r.attributes[ATTR.sig])).to.deep.equal(['', '']);
    expect(contentOf(records[1]?.body)).to.include({ kid: '', prev: '' });
    const report = verifyRecords(records, KEYS);
    expect(report.records?.map((v) => v.class)).to.deep.equal(['unsigned', 'unsigned']);
    expect(report.exitCode).to.equal(1);
  });

  it('writes a shutdown seal through the pipeline before the provider shuts down', async () => {
    const sealed: string[] = [];
    const p = make({ onSeal: (reason) => sealed.push(reason) });
    p.emitLeads(4);
    await p.provider.shutdown();
    const records = p.records();
    expect(records).to.have.length(5);
    const seal = contentOf(records[4]?.body);
    expect(seal).to.include({ event: SEAL_EVENT_NAME, seq: 5 });
    expect(seal.attrs).to.include({
      [SIGNING_ATTR.sealCount]: 4,
      [SIGNING_ATTR.sealHead]: seal.prev,
      [SIGNING_ATTR.sealReason]: 'shutdown',
    });
    expect(sealed).to.deep.equal(['shutdown']);
    const report = verifyRecords(records, KEYS);
    expect(report.status).to.equal('clean');
    expect(report.streams[0]).to.include({ sealed: true, status: 'clean', verified: 5 });
  });

  it('counts an undeliverable shutdown seal instead of hiding it; the tail then verifies as unsealed', async () => {
    const p = make({ bind: false });
    p.emitLeads(2);
    await p.provider.shutdown();
    expect(p.records()).to.have.length(2);
    expect(p.diagnostics.total(SIGNING_FAILURE.seal)).to.equal(1);
    const report = verifyRecords(p.records(), KEYS);
    expect(report.exitCode).to.equal(2);
    expect(report.findings.map((f) => [f.class, f.seq, f.seqTo])).to.deep.equal([['unsealed-tail', 1, 2]]);
  });

  it('seals every N records: inside a burst before the next record, or on the next microtask when idle', async () => {
    const p = make({ sealEveryRecords: 5 });
    p.emitLeads(12);
    const burst = p.records().map((r) => contentOf(r.body));
    // 5 records, seal, 5 records, seal, …: the seal is written before the record after the 5th.
    expect(burst.map((e) => (e.event === SEAL_EVENT_NAME ? 'S' : 'r')).join('')).to.equal('rrrrrSrrrrrSrr');
    expect(burst.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(burst[5]?.attrs).to.include({ [SIGNING_ATTR.sealCount]: 5, [SIGNING_ATTR.sealReason]: 'periodic' });
    expect(burst[11]?.attrs).to.include({ [SIGNING_ATTR.sealCount]: 11 });
    p.emitLeads(3, 13);
    expect(p.records()).to.have.length(17);
    await Promise.resolve();
    const idle = p.records().map((r) => contentOf(r.body));
    expect(idle.map((e) => (e.event === SEAL_EVENT_NAME ? 'S' : 'r')).join('')).to.equal('rrrrrSrrrrrSrrrrrS');
    expect(verifyRecords(p.records(), KEYS).status).to.equal('clean');
  });

  it('seals on its interval only when records arrived since the last seal', async () => {
    const p = make({ sealIntervalMs: 25 });
    p.emitLeads(3);
    const seals = (): number => p.records().filter((r) => r.eventName === SEAL_EVENT_NAME).length;
    expect(await waitFor(() => seals() === 1, 2000)).to.equal(true);
    await new Promise((r) => setTimeout(r, 120));
    expect(seals()).to.equal(1);
    p.emitLeads(1, 4);
    expect(await waitFor(() => seals() === 2, 2000)).to.equal(true);
    const report = verifyRecords(p.records(), KEYS);
    expect(report.status).to.equal('clean');
    expect(report.streams[0]?.lastSeal).to.deep.equal({ seq: 6, reason: 'periodic' });
  });

  it('rejects a negative or non-finite seal setting at construction instead of silently never sealing', () => {
    for (const bad of [{ sealEveryRecords: -5 }, { sealIntervalMs: Number.NaN }, { sealIntervalMs: -1 }]) {
      expect(() => new SigningProcessor({ keyring: keyringOf(KEYS), ...bad }), JSON.stringify(bad)).to.throw(
        RangeError,
        /seal(EveryRecords|IntervalMs) must be a finite number ≥ 0/,
      );
    }
    const off = new SigningProcessor({ keyring: keyringOf(KEYS), sealEveryRecords: 0, sealIntervalMs: 0 });
    void off.shutdown();
  });

  it('links the first record of a new stream to the previous stream head', async () => {
    const first = make();
    first.emitLeads(3);
    await first.provider.shutdown();
    const head = first.signer.head();
    expect(head?.seq).to.equal(4);
    const second = make({ previous: head });
    second.emitLeads(2, 10);
    await second.provider.shutdown();
    const firstOfSecond = contentOf(second.records()[0]?.body);
    expect(firstOfSecond.attrs[SIGNING_ATTR.previousStream]).to.deep.equal(head);
    expect(contentOf(second.records()[1]?.body).attrs).to.not.have.property(SIGNING_ATTR.previousStream);
    const report = verifyRecords([...first.records(), ...second.records()], KEYS);
    expect(report.status).to.equal('clean');
    const [a, b] = report.streams;
    expect(a).to.include({ stream: first.signer.streamId, next: second.signer.streamId, status: 'clean' });
    expect(b?.previous).to.deep.equal({ stream: head?.stream, seq: 4, found: true, matches: true });
  });

  it('stamps seals emitted by anyone with the commitments of their chain position', () => {
    const p = make();
    p.emitLeads(2);
    p.logger.emit({
      eventName: SEAL_EVENT_NAME,
      attributes: { [SIGNING_ATTR.sealCount]: 99, [SIGNING_ATTR.sealHead]: 'bogus' },
    });
    const seal = contentOf(p.records()[2]?.body);
    expect(seal.attrs).to.include({
      [SIGNING_ATTR.sealCount]: 2,
      [SIGNING_ATTR.sealHead]: seal.prev,
      [SIGNING_ATTR.sealReason]: 'manual',
    });
  });
});
