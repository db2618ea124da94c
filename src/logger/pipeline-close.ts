/**
 * Flushing and closing a logger's pipeline without throwing into the caller: a stage that fails
 * is counted (`sink.flush`, `sink.shutdown`, `otlp.metrics-export`) and the next stage still runs.
 * The waits themselves are bounded inside the pipeline (each sink, the audit worker).
 */
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { errorText } from '../events/error-text.js';
import { METRICS_EXPORT_FAILURE } from '../sinks/otlp-metric-exporter.js';
import type { AuditCore } from './pipeline.js';
import { FANOUT_FAILURE, PROVIDER_FLUSH_TIMEOUT_MS } from './sink-fanout.js';

/** Exports everything the pipeline holds (journal, OTLP, webhooks) and collects metrics. Never throws. */
export async function flushPipeline(core: AuditCore, diagnostics: AuditDiagnostics): Promise<void> {
  try {
    // a timeout above the pipeline's own bounds: a stall is counted where it happens
    await core.loggerProvider.forceFlush({ timeoutMillis: core.providerFlushTimeoutMs ?? PROVIDER_FLUSH_TIMEOUT_MS });
  } catch (err) {
    diagnostics.count(FANOUT_FAILURE.flush, `forceFlush: ${errorText(err)}`);
  }
  await metricsDone(core.meterProvider.forceFlush(), 'forceFlush', diagnostics);
}

/**
 * Shuts the pipeline down: the LoggerProvider first (it writes the shutdown seal), then the
 * MeterProvider (only flushed when the caller owns it), then waits for the journal's background
 * work. Never throws.
 */
export async function closePipeline(core: AuditCore, diagnostics: AuditDiagnostics): Promise<void> {
  await core.loggerProvider.shutdown().catch((err: unknown) => {
    diagnostics.count(FANOUT_FAILURE.shutdown, `shutdown: ${errorText(err)}`);
  });
  const meters = core.meterProvider;
  if (core.ownsMeterProvider) await metricsDone(meters.shutdown(), 'shutdown', diagnostics);
  else await metricsDone(meters.forceFlush(), 'forceFlush', diagnostics);
  await core.journal?.idle();
}

/** Waits for a flush or shutdown of the MeterProvider; a failure (e.g. of a reader) is counted. */
async function metricsDone(done: Promise<void>, what: string, diagnostics: AuditDiagnostics): Promise<void> {
  await done.catch((err: unknown) => {
    diagnostics.count(METRICS_EXPORT_FAILURE, `metrics ${what}: ${errorText(err)}`);
  });
}
