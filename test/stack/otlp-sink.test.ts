/** Unit tests of src/sinks/otlp.ts and otlp-options.ts: option resolution and failure accounting of the OTLP log sink. */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationType, InstrumentType } from '@opentelemetry/sdk-metrics';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { otlpSettingsFromEnv, parseHeaders } from '../../src/logger/env.js';
import { histogramsAsExponential, OtlpLogSink } from '../../src/sinks/otlp.js';
import { resolveOtlpOptions, type AuditOtlpOptions } from '../../src/sinks/otlp-options.js';

/** What the AuditLogger resolves: `options` over the settings read from `env`. */
function resolveOtlpSinkOptions(options: AuditOtlpOptions, env: Record<string, string>) {
  return resolveOtlpOptions(options, otlpSettingsFromEnv(env));
}

/** Exporter whose outcome the test decides; records what it was given. */
class ScriptedExporter implements LogRecordExporter {
  readonly batches: ReadableLogRecord[][] = [];
  constructor(private readonly outcome: () => ExportResult) {}
  export(logs: ReadableLogRecord[], cb: (r: ExportResult) => void): void {
    this.batches.push(logs);
    setImmediate(() => cb(this.outcome()));
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

describe('OTLP sink helpers (unit)', () => {
  it('resolves endpoints from options, then AUDIT_OTLP_ENDPOINT / OTEL_* variables; undefined when none', () => {
    expect(resolveOtlpSinkOptions({}, {})).to.equal(undefined);
    // logs only: the logs URL is enough, and no metrics URL is made up
    expect(resolveOtlpSinkOptions({ logsUrl: 'http://l:3/x' }, {})).to.equal(undefined);
    expect(resolveOtlpSinkOptions({ logsUrl: 'http://l:3/x', metrics: false }, {})).to.include({
      logsUrl: 'http://l:3/x',
      metricsUrl: undefined,
    });
    expect(() => resolveOtlpSinkOptions({ endpoint: 'not a url' }, {})).to.throw(
      TypeError,
      /not a valid URL: "not a url/,
    );
    const fromBase = resolveOtlpSinkOptions(
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/', OTEL_METRIC_EXPORT_INTERVAL: '5000' },
    );
    expect(fromBase?.logsUrl).to.equal('http://c:4318/v1/logs');
    expect(fromBase?.metricsUrl).to.equal('http://c:4318/v1/metrics');
    expect(fromBase?.metricExportIntervalMillis).to.equal(5000);
    const audit = resolveOtlpSinkOptions(
      {},
      {
        AUDIT_OTLP_ENDPOINT: 'http://a:1',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:2',
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://l:3/x',
      },
    );
    expect(audit?.logsUrl).to.equal('http://l:3/x');
    expect(audit?.metricsUrl).to.equal('http://a:1/v1/metrics');
    expect(resolveOtlpSinkOptions({ endpoint: 'http://o:9' }, { AUDIT_OTLP_ENDPOINT: 'http://a:1' })?.logsUrl).to.equal(
      'http://o:9/v1/logs',
    );
    expect(() => resolveOtlpSinkOptions({ endpoint: 'not a url' }, {})).to.throw(TypeError);
  });

  it('parses OTEL_EXPORTER_OTLP_HEADERS with URL-encoded values', () => {
    expect(parseHeaders('Authorization=Bearer%20abc, x-tenant = t1,bad')).to.deep.equal({
      Authorization: 'Bearer abc',
      'x-tenant': 't1',
    });
    // OTel's parser: keys are URL-decoded too, and an entry with a malformed escape is left out (never throws)
    expect(parseHeaders('x%2Dkey=a%2Cb,bad=%zz,ok=1')).to.deep.equal({ 'x-key': 'a,b', ok: '1' });
    expect(parseHeaders(undefined)).to.deep.equal({});
  });

  it('asks for exponential histograms for histogram instruments only', () => {
    expect(histogramsAsExponential(InstrumentType.HISTOGRAM).type).to.equal(AggregationType.EXPONENTIAL_HISTOGRAM);
    expect(histogramsAsExponential(InstrumentType.COUNTER).type).to.equal(AggregationType.DEFAULT);
  });

  it('counts records the collector did not take as otlp.export, and a full buffer as otlp.queue_full', async () => {
    const diagnostics = new AuditDiagnostics();
    const resolved = resolveOtlpOptions({ endpoint: 'http://127.0.0.1:9' });
    if (!resolved) throw new Error('unresolved');
    const options = { ...resolved, maxQueueSize: 5, maxExportBatchSize: 5, scheduledDelayMillis: 60_000 };
    const exporter = new ScriptedExporter(() => ({
      code: ExportResultCode.FAILED,
      error: new Error('503 from collector'),
    }));
    const sink = new OtlpLogSink(options, diagnostics, exporter);
    const provider = new LoggerProvider({ processors: [sink] });
    const logger = provider.getLogger('t');
    for (let i = 0; i < 7; i++) logger.emit({ body: `r${i}` });
    expect(diagnostics.total('otlp.queue_full')).to.equal(2);
    expect(sink.pendingRecords).to.equal(5);
    await provider.forceFlush();
    expect(exporter.batches.flat()).to.have.length(5);
    expect(diagnostics.total('otlp.export')).to.equal(1);
    expect(diagnostics.snapshot().find((f) => f.kind === 'otlp.export')?.lastDetail).to.match(
      /5 record\(s\).*503 from collector/,
    );
    expect(sink.pendingRecords).to.equal(0);
    await provider.shutdown();
  });

  it('counts nothing when every batch is accepted', async () => {
    const diagnostics = new AuditDiagnostics();
    const options = resolveOtlpOptions({ endpoint: 'http://127.0.0.1:9' });
    if (!options) throw new Error('unresolved');
    const exporter = new ScriptedExporter(() => ({ code: ExportResultCode.SUCCESS }));
    const provider = new LoggerProvider({ processors: [new OtlpLogSink(options, diagnostics, exporter)] });
    for (let i = 0; i < 20; i++) provider.getLogger('t').emit({ body: `r${i}` });
    await provider.shutdown();
    expect(exporter.batches.flat()).to.have.length(20);
    expect(diagnostics.total()).to.equal(0);
  });
});
