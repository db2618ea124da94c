/**
 * Builds the AuditLogger's OTel pipeline:
 * LoggerProvider(processors: [PII → signing → SinkFanout]) where the fan-out feeds the journal,
 * the OTLP batch processor, webhooks, alerts and user sinks; plus a MeterProvider whose duration
 * histogram uses exponential buckets ({@link durationHistogramView}).
 * Configuration errors (missing key, bad journal options) throw here, at start-up.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@opentelemetry/api-logs';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { AuditDiagnostics } from '../events/diagnostics.js';
import { SCOPE_NAME } from '../events/semconv.js';
import { loadKeyring, loadOptionalKeyring, type Keyring, type KeyringOptions } from '../processors/signing/keys.js';
import { loadSealKeyFile, SEAL_KEY_ENV, type SealKeyState } from '../processors/signing/seal-key.js';
import { SigningProcessor } from '../processors/signing/signing-processor.js';
import { removalRecorder } from '../processors/signing/trail-records.js';
import { liveJournalQuery, type JournalQuery } from '../query/journal/journal-query.js';
import { openJournal, type OpenedJournal } from '../sinks/journal/open-journal.js';
import { createWitness } from '../sinks/witness/witness-target.js';
import { createOtlpMetricReader, OtlpLogSink } from '../sinks/otlp.js';
import { resolveOtlpOptions, type AuditOtlpOptions, type ResolvedOtlpSinkOptions } from '../sinks/otlp-options.js';
import { startJournalShipper, type JournalShipperSink } from '../sinks/shipper/shipper-sink.js';
import { AuditMetrics, durationHistogramView } from './metrics.js';
import type { AuditLoggerOptions } from './options.js';
import { otlpSettingsFromEnv, resourceFromEnv } from './env.js';
import { createPiiProcessor, type PiiProcessorLike } from './pii-adapter.js';
import { SealingLoggerProvider } from './sealing-provider.js';
import { SinkFanout } from './sink-fanout.js';
import type { ShipperStatus } from '../sinks/shipper/shipper-status.js';
import type { ThreadStats } from '../thread/worker-link.js';

/** Resource attribute naming one process/logger of a service (OTel semantic conventions). */
const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

/** Default `service.name` when neither the option nor `OTEL_SERVICE_NAME` gives one. */
export const DEFAULT_SERVICE_NAME = 'orchestrator';

/**
 * What the AuditLogger runs on: the in-process pipeline ({@link AuditPipeline}) or, in thread
 * mode, the app thread's side of the worker pipeline (src/thread/thread-pipeline.ts).
 */
export interface AuditCore {
  readonly diagnostics: AuditDiagnostics;
  readonly loggerProvider: LoggerProvider;
  readonly logger: Logger;
  readonly meterProvider: MeterProvider;
  /** Whether the pipeline built (and so shuts down) the MeterProvider. */
  readonly ownsMeterProvider: boolean;
  readonly metrics: AuditMetrics;
  readonly pii: PiiProcessorLike;
  readonly signing: Pick<SigningProcessor, 'streamId' | 'head'>;
  readonly sinks: SinkFanout;
  readonly journal: Pick<OpenedJournal, 'activePath' | 'idle'> | undefined;
  /** Queries over the journal (it flushes the journal's buffer before each read). */
  readonly journalQuery: JournalQuery | undefined;
  /** Ships the journal's records over OTLP (OTLP on, with a journal, `logsFrom` not `'memory'`). */
  readonly shipper: { status(): ShipperStatus | undefined } | undefined;
  /**
   * The timeout given to the LoggerProvider's `forceFlush` (ms; default
   * `PROVIDER_FLUSH_TIMEOUT_MS`): above every bound the pipeline puts on its own waits.
   */
  readonly providerFlushTimeoutMs?: number;
  /** The figures of the ring and the worker, in thread mode. */
  readonly thread?: { stats(): ThreadStats };
}

/** Everything the in-process pipeline is made of. */
export interface AuditPipeline extends AuditCore {
  readonly signing: SigningProcessor;
  readonly journal: OpenedJournal | undefined;
  readonly shipper: JournalShipperSink | undefined;
  /** The OTLP log sink (OTLP on without the journal shipper). */
  readonly otlpLogs: OtlpLogSink | undefined;
}

/** Diagnostics kinds counted while the pipeline is built. */
export const CONFIG_FAILURE = {
  /** `OTEL_RESOURCE_ATTRIBUTES` was malformed and ignored (as the OTel specification asks). */
  resourceAttributes: 'config.resource-attributes',
} as const;

/** Builds the pipeline for `options`; throws on configuration errors (e.g. `AuditKeyError`). */
export function buildPipeline(options: AuditLoggerOptions): AuditPipeline {
  const env = options.env ?? process.env;
  const diagnostics = options.diagnostics ?? new AuditDiagnostics();
  const integrity = options.enableIntegrity ?? true;
  // Keys first: a missing key must fail before anything is opened or started.
  const sealKeyFile = integrity ? (options.sealKeyFile ?? (env[SEAL_KEY_ENV] || undefined)) : undefined;
  const sealKey = sealKeyFile !== undefined ? loadSealKeyFile(sealKeyFile) : undefined;
  const keyOptions: KeyringOptions = {
    signingKey: options.signingKey,
    signingKeyId: options.signingKeyId,
    verificationKeys: options.verificationKeys,
    keyFile: options.keyFile,
    env,
  };
  // with a sealing key the HMAC key is optional
  const keyring: Keyring | undefined = integrity
    ? (options.keyring ?? (sealKey ? loadOptionalKeyring(keyOptions) : loadKeyring(keyOptions)))
    : undefined;
  const seal = sealKey && sealKeyFile !== undefined ? { state: sealKey, file: sealKeyFile } : undefined;
  const pii = createPiiProcessor(options.pii, diagnostics);
  const resource = resourceOf(options, env, diagnostics);
  const otlp = otlpOptionsOf(options.otlp);
  // the environment's OTLP settings, read once: under the options for the URLs and the shipper
  const otlpEnv = otlp ? otlpSettingsFromEnv(env) : undefined;
  const otlpResolved = otlp ? resolveOtlp(otlp, otlpEnv) : undefined;
  // The journal last among the checks: opening it takes its single-writer lock.
  const journal =
    options.auditFile !== undefined
      ? openJournal(
          {
            auditFile: options.auditFile,
            maxFileSizeMb: options.maxFileSizeMb,
            retentionDays: options.retentionDays,
            enableRotation: options.enableRotation,
            compressionLevel: options.compressionLevel,
            flushIntervalMs: options.flushIntervalMs,
            fsync: options.fsync,
          },
          diagnostics,
        )
      : undefined;
  try {
    return assemble(options, {
      diagnostics,
      integrity,
      keyring,
      seal,
      pii,
      journal,
      resource,
      otlp,
      otlpEnv,
      otlpResolved,
    });
  } catch (err) {
    // release the journal (and its lock) so that a corrected retry in this process can open it
    if (journal) void journal.processor.shutdown().catch(() => undefined);
    throw err;
  }
}

/** What {@link buildPipeline} checked and opened before assembling the providers. */
interface PipelineParts {
  readonly diagnostics: AuditDiagnostics;
  readonly integrity: boolean;
  readonly keyring: Keyring | undefined;
  /** The sealing key state and its file (public-key seals), when configured. */
  readonly seal: { readonly state: SealKeyState; readonly file: string } | undefined;
  readonly pii: PiiProcessorLike;
  readonly journal: OpenedJournal | undefined;
  readonly resource: Resource;
  readonly otlp: AuditOtlpOptions | undefined;
  readonly otlpEnv: AuditOtlpOptions | undefined;
  readonly otlpResolved: ResolvedOtlpSinkOptions | undefined;
}

function assemble(options: AuditLoggerOptions, parts: PipelineParts): AuditPipeline {
  const { diagnostics, integrity, keyring, seal, pii, journal, resource, otlp, otlpEnv, otlpResolved } = parts;
  const { meterProvider, metrics } = buildMetrics(options, { resource, otlpResolved, diagnostics, pii });

  const signing = new SigningProcessor({
    integrity,
    ...(keyring ? { keyring } : {}),
    ...(seal ? { sealKey: seal.state, sealKeyFile: seal.file, env: {} } : {}),
    ...(options.sealEpochMs !== undefined ? { sealEpochMs: options.sealEpochMs } : {}),
    ...(options.sealEpochSeals !== undefined ? { sealEpochSeals: options.sealEpochSeals } : {}),
    ...(journal?.previousHead() ? { previous: journal.previousHead() } : {}),
    ...(options.sealEveryRecords !== undefined ? { sealEveryRecords: options.sealEveryRecords } : {}),
    ...(options.sealIntervalMs !== undefined ? { sealIntervalMs: options.sealIntervalMs } : {}),
    diagnostics,
    onSeal: (reason) => metrics.seal(reason),
  });
  const sinks = new SinkFanout(diagnostics);
  if (journal) sinks.add(journal.processor);
  let shipper: JournalShipperSink | undefined;
  let otlpLogs: OtlpLogSink | undefined;
  if (otlpResolved && journal && otlp?.logsFrom !== 'memory') {
    shipper = startJournalShipper({
      journal,
      otlp: otlpResolved,
      resource,
      diagnostics,
      meter: meterProvider.getMeter(SCOPE_NAME),
      recorder: signing,
      fromEnv: otlpEnv?.shipper ?? {},
      ...(otlp?.shipper ? { options: otlp.shipper } : {}),
    });
    sinks.add(shipper);
  } else if (otlpResolved) {
    otlpLogs = new OtlpLogSink(otlpResolved, diagnostics);
    sinks.add(otlpLogs);
  }
  for (const target of options.witnesses ?? []) sinks.add(createWitness(target, diagnostics));
  for (const processor of options.processors ?? []) sinks.add(processor);
  // its shutdown() writes the shutdown seal first, while the provider still takes records
  const loggerProvider = new SealingLoggerProvider({ resource, processors: [pii.processor, signing, sinks] }, signing, {
    diagnostics,
    ...(options.limits ? { limits: options.limits } : {}),
    cutPoint: (text, at) => pii.safeCut(text, at),
  });
  const core = loggerProvider.coreLogger(SCOPE_NAME);
  signing.bindLogger(core);
  journal?.bindSigner(signing);
  journal?.recordRemovalsWith(removalRecorder(signing, core));
  return {
    diagnostics,
    loggerProvider,
    logger: core,
    meterProvider,
    ownsMeterProvider: options.meterProvider === undefined,
    metrics,
    pii,
    signing,
    sinks,
    journal,
    journalQuery: journal ? liveJournalQuery(journal) : undefined,
    shipper,
    otlpLogs,
  };
}

/**
 * The logger's MeterProvider (the user's, else one with the duration view, the user's readers and,
 * with an OTLP metrics URL, the OTLP reader) and its instruments; every diagnostics failure is
 * also counted as a metric. Shared by the in-process and the thread-mode pipelines.
 */
export function buildMetrics(
  options: AuditLoggerOptions,
  parts: {
    readonly resource: Resource;
    readonly otlpResolved: ResolvedOtlpSinkOptions | undefined;
    readonly diagnostics: AuditDiagnostics;
    readonly pii: PiiProcessorLike;
  },
): { readonly meterProvider: MeterProvider; readonly metrics: AuditMetrics } {
  const { resource, otlpResolved, diagnostics, pii } = parts;
  const readers: IMetricReader[] = [...(options.metricReaders ?? [])];
  if (otlpResolved?.metricsUrl !== undefined && !options.meterProvider)
    readers.push(createOtlpMetricReader(otlpResolved, diagnostics));
  const meterProvider =
    options.meterProvider ?? new MeterProvider({ resource, views: [durationHistogramView()], readers });
  const metrics = new AuditMetrics(meterProvider.getMeter(SCOPE_NAME), (value) => pii.text(value));
  diagnostics.onFailure((kind, _detail, times) => metrics.failure(kind, times));
  return { meterProvider, metrics };
}

export function otlpOptionsOf(otlp: AuditLoggerOptions['otlp']): AuditOtlpOptions | undefined {
  if (otlp === undefined || otlp === false) return undefined;
  return otlp === true ? {} : otlp;
}

/** OTLP settings from the options over the environment's; throws when export was asked for but no endpoint is known. */
export function resolveOtlp(otlp: AuditOtlpOptions, fromEnv: AuditOtlpOptions | undefined): ResolvedOtlpSinkOptions {
  // logs only (`metrics: false`, OTEL_METRICS_EXPORTER=none): a logs URL is enough
  const resolved = resolveOtlpOptions(otlp, fromEnv);
  if (!resolved) {
    throw new Error(
      'OTLP export is on but no endpoint is set: give otlp.endpoint / OTEL_EXPORTER_OTLP_ENDPOINT, or both per-signal URLs (logs and metrics; the logs URL alone with metrics off)',
    );
  }
  return resolved;
}

/**
 * The logger's resource: SDK defaults, `OTEL_RESOURCE_ATTRIBUTES` of `env` (a malformed value is
 * ignored whole and counted as `config.resource-attributes`), `service.name` (option,
 * `OTEL_SERVICE_NAME`, else {@link DEFAULT_SERVICE_NAME}), then `options.resource`. Unless one of
 * these gives `service.instance.id`, a random UUID is added, one per logger: each logger exports
 * its own cumulative counters, so two processes (or two loggers) of one service must be separate
 * series (Prometheus label `instance`) rather than one series whose values jump between them.
 */
export function resourceOf(
  options: AuditLoggerOptions,
  env: Readonly<Record<string, string | undefined>>,
  diagnostics: AuditDiagnostics,
): Resource {
  const fromEnv = resourceFromEnv(env);
  if (fromEnv.error !== undefined)
    diagnostics.count(CONFIG_FAILURE.resourceAttributes, `OTEL_RESOURCE_ATTRIBUTES ignored: ${fromEnv.error}`);
  let resource = defaultResource().merge(resourceFromAttributes(fromEnv.attributes));
  const serviceName = options.serviceName ?? fromEnv.serviceName;
  resource = resource.merge(
    resourceFromAttributes({ 'service.name': serviceName && serviceName !== '' ? serviceName : DEFAULT_SERVICE_NAME }),
  );
  if (options.resource) resource = resource.merge(options.resource);
  const given = resource.attributes[ATTR_SERVICE_INSTANCE_ID];
  if (given !== undefined && given !== '') return resource;
  return resource.merge(resourceFromAttributes({ [ATTR_SERVICE_INSTANCE_ID]: randomUUID() }));
}
