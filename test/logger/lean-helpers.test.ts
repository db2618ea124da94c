/**
 * Helper records of the in-process pipeline reach the processors as lean records, without the
 * SDK record's check and deep copy of their values: the user's processors (a SimpleLogRecordProcessor
 * with an InMemoryLogRecordExporter) get records equal in every public field to the SDK records of
 * the same calls (inside an active span too), journals are byte for byte the same (stream id and
 * clock pinned), and records go through the SDK logger where the lean chain cannot take them.
 */
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { expect } from 'chai';
import { context, metrics, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { SCOPE_NAME } from '../../src/events/semconv.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { InputIssues } from '../../src/logger/input.js';
import { leanChainOf } from '../../src/logger/lean-chain.js';
import { LeanLogRecord } from '../../src/logger/lean-record.js';
import { AuditMetrics } from '../../src/logger/metrics.js';
import type { AuditLoggerOptions } from '../../src/logger/options.js';
import { RecordWriter } from '../../src/logger/record-writer.js';
import { tempDir } from '../cli/fixture.js';
import { TestContextManager } from './context-manager.js';
import { TEST_KEY } from './fixture.js';
import { Capture, recordView } from './record-view.js';

const T0 = 1_767_225_600_000;
/** The active span of part of the calls. */
const SPAN = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
const STREAM_BYTES = Buffer.from('5eed0123456789ab', 'hex');

/** Builds a logger whose signing stream id is {@link STREAM_BYTES} (the only 8-byte draw while it is built). */
function withPinnedStream(options: AuditLoggerOptions): AuditLogger {
  const cryptoModule = crypto as unknown as { randomBytes: (size: number, ...rest: unknown[]) => Buffer };
  const real = cryptoModule.randomBytes;
  cryptoModule.randomBytes = (size, ...rest) =>
    size === 8 && rest.length === 0 ? Buffer.from(STREAM_BYTES) : real(size, ...rest);
  syncBuiltinESMExports();
  try {
    return createAuditLogger(options);
  } finally {
    cryptoModule.randomBytes = real;
    syncBuiltinESMExports();
  }
}

/** Sends `audit`'s helper records through the SDK logger, as when the lean chain is not available. */
function onSdkLogger(audit: AuditLogger): AuditLogger {
  (audit as unknown as { writer: { lean: unknown } }).writer.lean = undefined;
  return audit;
}

/** Every helper, with nested, odd, PII and unclean arguments; part of them inside an active span. */
function calls(audit: AuditLogger): void {
  const realNow = Date.now;
  let tick = 0;
  Date.now = () => T0 + tick;
  try {
    audit.logLeadIngested('L-1', 'web', {
      email: 'jane.doe@example.com',
      tags: ['a', { ip: '10.1.2.3' }, [1, 2.5, true, null]],
      address: { zip: '12345', city: 'Springfield', geo: { lon: -3, lat: 1.25 } },
      '10': 'digit key',
      '': 'empty key',
    });
    tick = 1;
    context.with(trace.setSpanContext(context.active(), SPAN), () => {
      audit.logLeadQualified('L-1', true, 'fit', 'sales');
      audit.logCrmUpdate('L-2', 'crm-9', { email: 'raw@example.com', 'carol@example.com': 'key holds PII' }, 'sales');
      audit.logEvent('odd.keys', { leadId: 'L-4', nested: { constructor: 'x', __proto__: 'y', keep: 1 } });
    });
    tick = 2;
    audit.logLeadRouted('L-3', 'team-a', 'score > 5', 'sales');
    audit.logCrmCreate('L-3', 42, 'contact', 'sales');
    audit.logEmailSent('L-5', 'jane.doe@example.com', 'Welcome', 1, 'nurture');
    audit.logEmailScheduled('L-5', 'jane.doe@example.com', Number.NaN, 'nurture');
    audit.logEmailCancelled('L-5', 'jane.doe@example.com', 'unsubscribed', 'nurture');
    audit.logWorkflowStarted('sales');
    audit.logWorkflowStopped('sales', 'done');
    audit.logError('EmailBounced', '550 unknown jane.doe@example.com', 'L-1', 'sales', 'at send (mailer.ts:1)');
    audit.trackPerformance('enrich', 0.25, 'sales');
    audit.logEvent('unclean', { when: new Date(T0), big: 10n, map: new Map([['k', 1]]), inf: Infinity });
    audit.logLeadIngested({ not: 'an id' } as never, 7 as never, undefined, 'sales');
  } finally {
    Date.now = realNow;
  }
}

describe('in-process helper records as lean records', function () {
  this.timeout(20000);
  let installed = false;
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    installed = context.setGlobalContextManager(new TestContextManager());
    expect(installed, 'another global context manager is already installed').to.equal(true);
    ({ dir, cleanup } = await tempDir('audit-lean-helpers-'));
  });
  after(async () => {
    if (installed) context.disable();
    await cleanup();
  });

  /** The records the user's processors got, on the SDK logger and on the lean chain. */
  async function bothWays(extra: (lean: boolean) => Partial<AuditLoggerOptions> = () => ({})) {
    const out = [];
    for (const lean of [false, true]) {
      const exporter = new InMemoryLogRecordExporter();
      const capture = new Capture();
      const audit = withPinnedStream({
        signingKey: TEST_KEY,
        signingKeyId: 'k1',
        env: {},
        sealIntervalMs: 0,
        sealEveryRecords: 4,
        pii: { enabled: true },
        resource: resourceFromAttributes({ 'service.instance.id': 'lean-test' }),
        processors: [new SimpleLogRecordProcessor({ exporter }), capture],
        ...extra(lean),
      });
      if (!lean) onSdkLogger(audit);
      calls(audit);
      // changes after the processors ran are ignored, as by the SDK's record
      for (const r of capture.records) r.setAttribute('late', 1);
      await audit.forceFlush();
      const exported = [...exporter.getFinishedLogRecords()]; // (the exporter forgets them at shutdown)
      const realNow = Date.now;
      Date.now = () => T0 + 1000; // the shutdown seal's time
      try {
        await audit.shutdown();
      } finally {
        Date.now = realNow;
      }
      out.push({ exported, capture });
    }
    return { sdk: out[0]!, lean: out[1]! };
  }

  it('give the user processors records equal to the SDK records, inside an active span too', async () => {
    const { sdk, lean } = await bothWays();
    const a = sdk.exported;
    const b = lean.exported;
    expect(a.length).to.be.greaterThan(17); // the helpers' records and the seals
    expect(b.length).to.equal(a.length);
    for (let i = 0; i < a.length; i++) {
      expect(recordView(b[i]!), `record ${i} (${a[i]!.eventName})`).to.deep.equal(recordView(a[i]!));
      expect(trace.getSpanContext(lean.capture.contexts[i]!)).to.deep.equal(
        trace.getSpanContext(sdk.capture.contexts[i]!),
      );
    }
    const inSpan = b.filter((r) => r.spanContext !== undefined);
    expect(inSpan.map((r) => r.eventName)).to.deep.equal([
      'orchestrator.lead.qualified',
      'orchestrator.crm.updated',
      'orchestrator.custom.odd.keys',
    ]);
    // the helpers' records are lean on one side only; seals come from the SDK logger on both
    const helperRecords = b.filter((r) => r.eventName !== 'audit.seal');
    expect(helperRecords.every((r) => r instanceof LeanLogRecord)).to.equal(true);
    expect(a.some((r) => r instanceof LeanLogRecord)).to.equal(false);
    // one resource and one scope object for the lean records and the SDK's seals of a provider
    const seal = b.find((r) => r.eventName === 'audit.seal')!;
    for (const r of helperRecords) {
      expect(r.resource).to.equal(seal.resource);
      expect(r.instrumentationScope).to.equal(seal.instrumentationScope);
    }
  });

  it('write the same journal, byte for byte, as the SDK records of the same calls', async () => {
    const files = [path.join(dir, 'sdk.log'), path.join(dir, 'lean.log')];
    const { sdk, lean } = await bothWays((isLean) => ({ auditFile: files[isLean ? 1 : 0] }));
    expect(files).to.have.length(2);
    const [sdkText, leanText] = files.map((f) => readFileSync(f, 'utf8'));
    expect(sdkText!.split('\n').length).to.be.greaterThan(17);
    expect(sdkText).to.include('"stream":"5eed0123456789ab"');
    expect(sdkText).to.not.include('jane.doe@example.com');
    expect(leanText).to.equal(sdkText);
    expect(lean.capture.records.some((r) => r instanceof LeanLogRecord)).to.equal(true);
    expect(sdk.capture.records.some((r) => r instanceof LeanLogRecord)).to.equal(false);
  });
});

describe('RecordWriter: records the lean chain cannot take go through the SDK logger', () => {
  const realNow = Date.now;
  beforeEach(() => (Date.now = () => T0));
  afterEach(() => (Date.now = realNow));

  function writerOf(provider: LoggerProvider, wrap = false): RecordWriter {
    const sdkLogger = provider.getLogger(SCOPE_NAME);
    // a logger without the SDK logger's fields (as another SDK version may be shaped)
    const logger = wrap
      ? { emit: sdkLogger.emit.bind(sdkLogger), enabled: sdkLogger.enabled.bind(sdkLogger) }
      : sdkLogger;
    return new RecordWriter(logger, new AuditMetrics(metrics.getMeter('test')), new AuditDiagnostics());
  }
  const attrs = (n: number): Record<string, string> =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));
  function write(writer: RecordWriter, n: number): void {
    writer.write('custom', SeverityNumber.INFO, `${n} attributes`, attrs(n), 'wf', new InputIssues());
  }

  it('a record over the attribute count limit or with an empty key, and a logger without the SDK fields', () => {
    const provider = (capture: Capture) =>
      new LoggerProvider({ processors: [capture], logRecordLimits: { attributeCountLimit: 4 } });
    const leanCapture = new Capture();
    const sdkCapture = new Capture();
    const lean = writerOf(provider(leanCapture));
    const sdk = writerOf(provider(sdkCapture), true);
    for (const n of [3, 4, 6]) {
      write(lean, n);
      write(sdk, n);
    }
    // an empty key: the SDK drops it
    for (const writer of [lean, sdk])
      writer.write('custom', SeverityNumber.INFO, 'empty key', { '': 'x', a: 'y' }, 'wf', new InputIssues());
    expect(leanCapture.records.map((r) => r instanceof LeanLogRecord)).to.deep.equal([true, true, false, false]);
    expect(leanCapture.records[3]!.attributes).to.deep.equal({ a: 'y' });
    expect(sdkCapture.records.some((r) => r instanceof LeanLogRecord)).to.equal(false);
    expect(leanCapture.records.map(recordView)).to.deep.equal(sdkCapture.records.map(recordView));
    expect(leanCapture.records[2]!.droppedAttributesCount).to.equal(2);
    expect(lean.emitted).to.equal(4);
  });

  it('a logger that filters or changes records (a processor with enabled(), a value length limit)', () => {
    const filtering = new Capture() as Capture & { enabled?: () => boolean };
    filtering.enabled = () => true;
    const limited = new Capture();
    expect(leanChainOf(new LoggerProvider({ processors: [filtering] }).getLogger(SCOPE_NAME))).to.equal(undefined);
    const limitedProvider = new LoggerProvider({
      processors: [limited],
      logRecordLimits: { attributeValueLengthLimit: 1 },
    });
    const writer = writerOf(limitedProvider);
    write(writer, 2);
    write(writerOf(new LoggerProvider({ processors: [filtering] })), 2);
    expect(limited.records).to.have.length(1);
    expect(limited.records[0]).to.not.be.instanceOf(LeanLogRecord);
    expect(limited.records[0]!.attributes).to.deep.equal({ k0: 'v', k1: 'v' });
    expect(filtering.records).to.have.length(1);
    expect(filtering.records[0]).to.not.be.instanceOf(LeanLogRecord);
  });
});
