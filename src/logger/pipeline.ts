/**
 * Builds the AuditLogger's OTel pipeline:
 * LoggerProvider(processors: [PII → signing → SinkFanout]) where the fan-out feeds the journal,
 * the OTLP batch processor, webhooks, alerts and user sinks; plus a MeterProvider whose duration
 * histogram uses exponential buckets ({@link durationHistogramView}).
 * Configuration errors (missing key, bad journal options) throw here, at start-up.
 */
import type { Logger } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { AuditDiagnostics } from '../events/diagnostics.js';
import { SCOPE_NAME } from '../events/semconv.js';
import { loadKeyring, type Keyring } from '../processors/signing/keys.js';
import { SigningProcessor } from '../processors/signing/signing-processor.js';
import { openJournal, type OpenedJournal } from '../sinks/journal/open-journal.js';
import { AuditMetrics, durationHistogramView } from './metrics.js';
import type { AuditLoggerOptions, AuditOtlpOptions } from './options.js';
import { createPiiProcessor, type PiiProcessorLike } from './pii-adapter.js';
import { SinkFanout } from './sink-fanout.js';

/** Default `service.name` when neither the option nor `OTEL_SERVICE_NAME` gives one. */
export const DEFAULT_SERVICE_NAME = 'orchestrator';

/** Everything the AuditLogger runs on. */
export interface AuditPipeline {
  readonly diagnostics: AuditDiagnostics;
  readonly loggerProvider: LoggerProvider;
  readonly logger: Logger;
  readonly meterProvider: MeterProvider;
  /** Whether the pipeline built (and so shuts down) the MeterProvider. */
  readonly ownsMeterProvider: boolean;
  readonly metrics: AuditMetrics;
  readonly pii: PiiProcessorLike;
  readonly signing: SigningProcessor;
  readonly sinks: SinkFanout;
  readonly journal: OpenedJournal | undefined;
}

/** Builds the pipeline for `options`; throws on configuration errors (e.g. `AuditKeyError`). */
export function buildPipeline(options: AuditLoggerOptions): AuditPipeline {
  const env = options.env ?? process.env;
  const diagnostics = options.diagnostics ?? new AuditDiagnostics();
  const integrity = options.enableIntegrity ?? true;
  // Keys first: a missing key must fail before anything is opened or started.
  const keyring: Keyring | undefined = integrity
    ? (options.keyring ??
      loadKeyring({
        signingKey: options.signingKey,
        signingKeyId: options.signingKeyId,
        verificationKeys: options.verificationKeys,
        keyFile: options.keyFile,
        env,
      }))
    : undefined;
  const pii = createPiiProcessor(options.pii, diagnostics);
  const journal =
    options.auditFile !== undefined
      ? openJournal(
          {
            auditFile: options.auditFile,
            maxFileSizeMb: options.maxFileSizeMb,
            retentionDays: options.retentionDays,
            enableRotation: options.enableRotation,
            flushIntervalMs: options.flushIntervalMs,
            fsync: options.fsync,
          },
          diagnostics,
        )
      : undefined;
  const resource = resourceOf(options, env);
  const otlp = otlpOptionsOf(options.otlp);
  const readers: IMetricReader[] = [...(options.metricReaders ?? [])];
  if (otlp && otlp.metrics !== false && !options.meterProvider) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(exporterConfig(otlp, otlp.metricsUrl, '/v1/metrics')),
        ...(otlp.metricIntervalMs ? { exportIntervalMillis: otlp.metricIntervalMs } : {}),
      }),
    );
  }
  const meterProvider = options.meterProvider ?? new MeterProvider({ resource, views: [durationHistogramView()], readers });
  const metrics = new AuditMetrics(meterProvider.getMeter(SCOPE_NAME));
  diagnostics.onFailure((kind) => metrics.failure(kind));

  const signing = new SigningProcessor({
    integrity,
    ...(keyring ? { keyring } : {}),
    ...(journal?.previousHead() ? { previous: journal.previousHead() } : {}),
    ...(options.sealEveryRecords !== undefined ? { sealEveryRecords: options.sealEveryRecords } : {}),
    ...(options.sealIntervalMs !== undefined ? { sealIntervalMs: options.sealIntervalMs } : {}),
    diagnostics,
    onSeal: (reason) => metrics.seal(reason),
  });
  const sinks = new SinkFanout(diagnostics);
  if (journal) sinks.add(journal.processor);
  if (otlp) {
    const exporter = new OTLPLogExporter(exporterConfig(otlp, otlp.logsUrl, '/v1/logs'));
    sinks.add(new BatchLogRecordProcessor({ exporter }));
  }
  for (const processor of options.processors ?? []) sinks.add(processor);
  const loggerProvider = new LoggerProvider({ resource, processors: [pii.processor, signing, sinks] });
  signing.bindProvider(loggerProvider);
  return {
    diagnostics,
    loggerProvider,
    logger: loggerProvider.getLogger(SCOPE_NAME),
    meterProvider,
    ownsMeterProvider: options.meterProvider === undefined,
    metrics,
    pii,
    signing,
    sinks,
    journal,
  };
}

function otlpOptionsOf(otlp: AuditLoggerOptions['otlp']): AuditOtlpOptions | undefined {
  if (otlp === undefined || otlp === false) return undefined;
  return otlp === true ? {} : otlp;
}

function exporterConfig(otlp: AuditOtlpOptions, fullUrl: string | undefined, path: string): { url?: string; headers?: Record<string, string> } {
  const url = fullUrl ?? (otlp.endpoint ? joinUrl(otlp.endpoint, path) : undefined);
  return { ...(url ? { url } : {}), ...(otlp.headers ? { headers: { ...otlp.headers } } : {}) };
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

function resourceOf(options: AuditLoggerOptions, env: Readonly<Record<string, string | undefined>>): Resource {
  let resource = defaultResource().merge(detectResources({ detectors: [envDetector] }));
  const serviceName = options.serviceName ?? env.OTEL_SERVICE_NAME;
  resource = resource.merge(resourceFromAttributes({ 'service.name': serviceName && serviceName !== '' ? serviceName : DEFAULT_SERVICE_NAME }));
  return options.resource ? resource.merge(options.resource) : resource;
}
