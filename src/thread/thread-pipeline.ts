/**
 * The app thread's side of thread mode: what stays here is argument coercion (with the PII
 * processor's text anonymizer for ids and metric labels), the metrics and the failure counter;
 * each record becomes a JSON snapshot in the shared ring, and the audit worker runs PII →
 * signing → journal / shipper / OTLP / witnesses on it. Signed records come back in batches for
 * alerts and webhooks added here. Configuration errors throw here, synchronously, as in the
 * in-process pipeline.
 */
import { context as otelContext, isSpanContextValid, trace, type Context, type HrTime } from '@opentelemetry/api';
import type { AnyValue, LogAttributes, Logger, LogRecord } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { SanitizingLoggerProvider } from '../logger/direct-emit.js';
import type { Resource } from '@opentelemetry/resources';
import { AuditDiagnostics } from '../events/diagnostics.js';
import { SCOPE_NAME } from '../events/semconv.js';
import { JournalQuery } from '../query/journal/journal-query.js';
import { registerShipperGauges } from '../sinks/shipper/shipper-sink.js';
import { otlpSettingsFromEnv } from '../logger/env.js';
import type { AuditLoggerOptions } from '../logger/options.js';
import { createPiiProcessor, type PiiProcessorLike } from '../logger/pii-adapter.js';
import { buildMetrics, otlpOptionsOf, resolveOtlp, resourceOf, type AuditCore } from '../logger/pipeline.js';
import { PROVIDER_FLUSH_TIMEOUT_MS, SinkFanout } from '../logger/sink-fanout.js';
import type { RecordSnapshot, ReplayedRecord, WorkerPipelineOptions } from './protocol.js';
import { ENTRY_KIND } from './ring.js';
import { resolveThreadOptions } from './thread-options.js';
import { WorkerLink } from './worker-link.js';

/** Options that hold live objects, which cannot run in the worker: refused in thread mode. */
const NOT_IN_THREAD: readonly (keyof AuditLoggerOptions)[] = ['keyring', 'processors'];

/** The trace of `ctx` as a snapshot field. */
function traceOf(ctx: Context): RecordSnapshot[6] {
  const sc = trace.getSpanContext(ctx);
  return sc && isSpanContextValid(sc) ? [sc.traceId, sc.spanId, sc.traceFlags] : 0;
}

/** The helpers' logger: a snapshot into the ring instead of an SDK record. */
class RingLogger implements Logger {
  constructor(private readonly link: WorkerLink) {}
  /** Every record is emitted (the worker's pipeline has no severity filter either). */
  enabled(): boolean {
    return true;
  }
  emit(r: LogRecord): void {
    const ts = r.timestamp instanceof Date ? r.timestamp.getTime() : (r.timestamp ?? Date.now());
    const snapshot: RecordSnapshot = [
      ts,
      r.eventName,
      r.severityNumber,
      r.severityText,
      r.body as AnyValue,
      r.attributes ?? {},
      traceOf(r.context ?? otelContext.active()),
    ];
    this.link.push(ENTRY_KIND.record, JSON.stringify(snapshot));
  }
}

/** The processor of the app thread's LoggerProvider: forwards records emitted through it to the worker. */
class RingForwarder implements LogRecordProcessor {
  constructor(
    private readonly link: WorkerLink,
    /** The app thread's sinks: flushed and shut down after the worker (they get its signed records). */
    private readonly sinks: SinkFanout,
  ) {}
  onEmit(log: ReadWriteLogRecord): void {
    const snapshot: RecordSnapshot = [
      log.hrTime,
      log.eventName,
      log.severityNumber,
      log.severityText,
      log.body as AnyValue,
      log.attributes,
      log.spanContext && isSpanContextValid(log.spanContext)
        ? [log.spanContext.traceId, log.spanContext.spanId, log.spanContext.traceFlags]
        : 0,
    ];
    this.link.push(ENTRY_KIND.record, JSON.stringify(snapshot));
  }
  // the app thread's sinks are flushed and shut down whatever the worker answered
  async forceFlush(): Promise<void> {
    try {
      await this.link.flush();
    } finally {
      await this.sinks.forceFlush();
    }
  }
  async shutdown(): Promise<void> {
    try {
      await this.link.shutdown();
    } finally {
      await this.sinks.shutdown();
    }
  }
}

/** Sinks of the app thread (alerts, webhooks); the first one added turns on the replay of signed records. */
class ReplayedSinks extends SinkFanout {
  constructor(
    diagnostics: AuditDiagnostics,
    private readonly replayOn: () => void,
  ) {
    super(diagnostics);
  }
  override add(sink: LogRecordProcessor): void {
    super.add(sink);
    this.replayOn();
  }
}

/** A replayed signed record in the shape sinks read. */
function replayedLog(r: ReplayedRecord, resource: Resource): ReadWriteLogRecord {
  const spanContext = r.trace === 0 ? undefined : { traceId: r.trace[0], spanId: r.trace[1], traceFlags: r.trace[2] };
  return {
    hrTime: r.hrTime as HrTime,
    hrTimeObserved: r.hrTimeObserved as HrTime,
    eventName: r.eventName,
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: r.body,
    attributes: r.attributes as LogAttributes,
    spanContext,
    resource,
    instrumentationScope: { name: SCOPE_NAME },
    droppedAttributesCount: 0,
  } as unknown as ReadWriteLogRecord;
}

/** Builds the app thread's side and starts the worker; throws on configuration errors. */
export function buildThreadPipeline(options: AuditLoggerOptions): AuditCore {
  for (const name of NOT_IN_THREAD) {
    if (options[name] !== undefined)
      throw new TypeError(
        `option "${name}" holds live objects, which cannot run in the audit worker: leave it out in thread mode (give keys as signingKey / keyFile, and consume signed records with alerts, webhooks or OTLP)`,
      );
  }
  const settings = resolveThreadOptions(
    options.thread === undefined || options.thread === false ? true : options.thread,
  );
  const env = options.env ?? process.env;
  const diagnostics = options.diagnostics ?? new AuditDiagnostics();
  const pii = createPiiProcessor(options.pii, diagnostics);
  const resource = resourceOf(options, env, diagnostics);
  const otlp = otlpOptionsOf(options.otlp);
  const otlpEnv = otlp ? otlpSettingsFromEnv(env) : undefined;
  const otlpResolved = otlp ? resolveOtlp(otlp, otlpEnv) : undefined;
  const { meterProvider, metrics } = buildMetrics(options, { resource, otlpResolved, diagnostics, pii });

  const workerEnv: Record<string, string | undefined> = { ...env };
  delete workerEnv.OTEL_RESOURCE_ATTRIBUTES; // counted here already; the resource travels whole
  const {
    keyring: _k,
    processors: _p,
    diagnostics: _d,
    meterProvider: _m,
    metricReaders: _r,
    resource: _res,
    thread: _t,
    limits: _l,
    ...plain
  } = options;
  const workerOptions: WorkerPipelineOptions = {
    ...plain,
    env: workerEnv,
    ...(otlp ? { otlp: { ...otlp, metrics: false } } : {}),
    resourceAttributes: resource.attributes,
  };
  let replaying = false;
  const link: WorkerLink = new WorkerLink(
    { options: workerOptions },
    {
      diagnostics,
      onSeal: (reason) => metrics.seal(reason),
      onRecords: (records) => {
        for (const r of records) sinks.onEmit(replayedLog(r, resource));
      },
    },
    settings,
  );
  const sinks = new ReplayedSinks(diagnostics, () => {
    if (replaying) return;
    replaying = true;
    link.control({ replay: true });
  });
  if (otlpResolved && options.auditFile !== undefined && otlp?.logsFrom !== 'memory')
    registerShipperGauges(meterProvider.getMeter(SCOPE_NAME), () => link.shipperStatus());
  const front: PiiProcessorLike = {
    processor: pii.processor,
    get anonymizing() {
      return pii.anonymizing;
    },
    setAnonymizing(on: boolean) {
      pii.setAnonymizing(on);
      link.control({ anonymizing: on });
    },
    text: (value) => pii.text(value),
    safeCut: (text, at) => pii.safeCut(text, at),
  };
  const loggerProvider = new SanitizingLoggerProvider(
    { resource, processors: [new RingForwarder(link, sinks)] },
    {
      diagnostics,
      ...(options.limits ? { limits: options.limits } : {}),
      cutPoint: (text, at) => front.safeCut(text, at),
    },
  );
  const auditFile = link.auditFile;
  return {
    diagnostics,
    loggerProvider,
    logger: new RingLogger(link),
    meterProvider,
    ownsMeterProvider: options.meterProvider === undefined,
    metrics,
    pii: front,
    signing: { streamId: link.streamId, head: () => link.lastHead() },
    sinks,
    journal: auditFile !== undefined ? { activePath: auditFile, idle: () => Promise.resolve() } : undefined,
    journalQuery:
      auditFile !== undefined
        ? new JournalQuery(auditFile, { beforeRead: () => link.flush(), missingAsEmpty: true })
        : undefined,
    shipper:
      otlpResolved && auditFile !== undefined && otlp?.logsFrom !== 'memory'
        ? { status: () => link.shipperStatus() }
        : undefined,
    thread: link,
    // the worker's answer (handed over, then flushed), then the app thread's sinks
    providerFlushTimeoutMs:
      Math.max(settings.maxWaitMs, settings.exitWaitMs) + settings.flushTimeoutMs + PROVIDER_FLUSH_TIMEOUT_MS,
  };
}
