/**
 * The audit worker's lean records against the SDK's: the same snapshots emitted through the SDK
 * logger of one pipeline and through the lean emitter of a twin pipeline (real PII and signing
 * processors, same stream id) reach the sinks with the same fields, attributes (values and key
 * order), dropped count and signatures; the lean records carry the provider's own resource and
 * scope objects; attributes the SDK would not store as parsed go through the SDK logger.
 */
import { expect } from 'chai';
import { trace } from '@opentelemetry/api';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { SCOPE_NAME } from '../../src/events/semconv.js';
import { buildPipeline } from '../../src/logger/pipeline.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { PiiAnonymizingProcessor } from '../../src/processors/pii/pii-processor.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { leanEmitterOf, logRecordOf } from '../../src/thread/lean-emitter.js';
import { LeanLogRecord } from '../../src/logger/lean-record.js';
import type { RecordSnapshot } from '../../src/thread/protocol.js';
import { SECRET_1 } from '../signing/helpers.js';
import { Capture, recordView } from '../logger/record-view.js';

const resource = resourceFromAttributes({ 'service.name': 'lean-test' });

/** PII → signing → capture, as the worker's pipeline; seals through the provider's own logger. */
function twin(): { provider: LoggerProvider; capture: Capture; diagnostics: AuditDiagnostics } {
  const diagnostics = new AuditDiagnostics();
  const signer = new SigningProcessor({
    keyring: keyringOf({ k1: SECRET_1 }),
    streamId: 'lean-twin',
    sealIntervalMs: 0,
    sealEveryRecords: 4,
    diagnostics,
  });
  const capture = new Capture();
  const pii = new PiiAnonymizingProcessor({ diagnostics });
  const provider = new LoggerProvider({ resource, processors: [pii, signer, capture] });
  signer.bindLogger(provider.getLogger(SCOPE_NAME));
  return { provider, capture, diagnostics };
}

const many = (n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i} jane.doe@example.com`]));

/** Snapshots covering nesting, renamed keys, PII, traces, bytes text, and the attribute count limit. */
const SNAPSHOTS: RecordSnapshot[] = [
  [1_700_000_000_123, 'lead.ingested', 9, 'INFO', 'lead from jane.doe@example.com', { 'lead.id': 'L-1' }, 0],
  [
    [1_700_000_001, 5],
    'crm.updated',
    9,
    'INFO',
    { note: 'call +1 415 555 0100' },
    {
      'lead.id': 'L-2',
      data: { email: 'raw@example.com', tags: ['a', { phone: '+1 415 555 0100' }], n: 1.5, ok: true, none: null },
      'jane.doe@example.com': 'key with PII',
      '10': 'digit key',
      list: [[1, 2], [], {}],
    },
    ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 1],
  ],
  [1_700_000_002_000, 'x', 13, 'WARN', undefined as never, { empty: {}, s: '' }, ['0'.repeat(32), '0'.repeat(16), 0]],
  // 127 attributes: the signer's four find one free slot, three are dropped and counted
  [1_700_000_003_000, 'wide', 9, 'INFO', 'wide', many(127), 0],
  [1_700_000_004_000, 'full', 9, 'INFO', 'full', many(128), 0],
  [1_700_000_005_000, 'after.seal', 9, 'INFO', 'b64', { blob: 'base64:amFuZS5kb2VAZXhhbXBsZS5jb20=' }, 0],
];

/** Through the SDK logger: 129 attributes, an empty key, nested `__proto__` / `constructor` keys. */
const SDK_ONLY: string[] = [
  JSON.stringify([1_700_000_006_000, 'too.wide', 9, 'INFO', 'w', many(129), 0]),
  JSON.stringify([1_700_000_007_000, 'empty.key', 9, 'INFO', 'e', { '': 'x', a: 'y' }, 0]),
  '[1700000008000,"proto",9,"INFO","p",{"a":{"__proto__":{"polluted":1},"b":2}},0]',
  JSON.stringify([1_700_000_009_000, 'ctor', 9, 'INFO', 'c', { a: { constructor: 'x' }, b: 1 }, 0]),
];

describe('thread mode: lean records of the audit worker', () => {
  const realNow = Date.now;
  // seals and observed times are stamped at emit: one clock for both pipelines
  beforeEach(() => (Date.now = () => 1_700_000_100_000));
  afterEach(() => (Date.now = realNow));

  it('reach the processors and sinks as the SDK records of the same snapshots do', async () => {
    const sdk = twin();
    const lean = twin();
    const sdkLogger = sdk.provider.getLogger(SCOPE_NAME);
    const emitter = leanEmitterOf(lean.provider.getLogger(SCOPE_NAME));
    expect(emitter).to.not.equal(undefined);
    const texts = [...SNAPSHOTS.map((s) => JSON.stringify(s)), ...SDK_ONLY];
    const leanTaken: boolean[] = [];
    for (const text of texts) {
      sdkLogger.emit(logRecordOf(JSON.parse(text) as RecordSnapshot));
      const snapshot = JSON.parse(text) as RecordSnapshot;
      const taken = emitter!.emit(snapshot, text);
      leanTaken.push(taken);
      if (!taken) lean.provider.getLogger(SCOPE_NAME).emit(logRecordOf(snapshot));
    }
    await sdk.provider.shutdown();
    await lean.provider.shutdown();

    const a = sdk.capture.records;
    const b = lean.capture.records;
    expect(b.length).to.equal(a.length);
    expect(a.length).to.be.greaterThan(texts.length); // the count seals are among them
    for (let i = 0; i < a.length; i++) {
      expect(recordView(b[i]!), `record ${i} (${a[i]!.eventName})`).to.deep.equal(recordView(a[i]!));
      expect(b[i]!.resource).to.equal(resource);
      expect(trace.getSpanContext(lean.capture.contexts[i]!)).to.deep.equal(
        trace.getSpanContext(sdk.capture.contexts[i]!),
      );
    }
    expect(leanTaken).to.deep.equal([...SNAPSHOTS.map(() => true), ...SDK_ONLY.map(() => false)]);
    // the lean records share the scope object of the SDK records (seals) of their provider
    const leanRecords = b.filter((r) => r instanceof LeanLogRecord);
    expect(leanRecords).to.have.length(SNAPSHOTS.length);
    const sealScope = b.find((r) => !(r instanceof LeanLogRecord))!.instrumentationScope;
    for (const r of leanRecords) expect(r.instrumentationScope).to.equal(sealScope);
    const wide = b.find((r) => r.eventName === 'wide')!;
    expect(wide.droppedAttributesCount).to.equal(3);
    expect(lean.diagnostics.snapshot()).to.deep.equal(sdk.diagnostics.snapshot());
  });

  it('takes the records of the worker pipeline, and emits nothing once the provider shut down', async () => {
    const pipeline = buildPipeline({ signingKey: SECRET_1, signingKeyId: 'k1', env: {}, sealIntervalMs: 0 });
    const capture = new Capture();
    pipeline.sinks.add(capture);
    const emitter = leanEmitterOf(pipeline.logger);
    expect(emitter).to.not.equal(undefined);
    const text = JSON.stringify(SNAPSHOTS[0]);
    expect(emitter!.emit(JSON.parse(text) as RecordSnapshot, text)).to.equal(true);
    expect(capture.records).to.have.length(1);
    expect(capture.records[0]).to.be.instanceOf(LeanLogRecord);
    await pipeline.loggerProvider.shutdown();
    const count = capture.records.length; // with the shutdown seal
    expect(emitter!.emit(JSON.parse(text) as RecordSnapshot, text)).to.equal(true);
    expect(capture.records).to.have.length(count);
  });

  it('is not used for a logger that filters records', () => {
    const filtering: LogRecordProcessor = { ...new Capture(), enabled: () => true } as unknown as LogRecordProcessor;
    const provider = new LoggerProvider({ processors: [filtering] });
    expect(leanEmitterOf(provider.getLogger(SCOPE_NAME))).to.equal(undefined);
    const limited = new LoggerProvider({ logRecordLimits: { attributeValueLengthLimit: 10 } });
    expect(leanEmitterOf(limited.getLogger(SCOPE_NAME))).to.equal(undefined);
  });
});
