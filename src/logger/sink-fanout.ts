/**
 * The last processor of the AuditLogger's pipeline: forwards every (already anonymized and signed)
 * record to a list of sink processors that can change after the LoggerProvider was built (the
 * SDK takes its processors at construction). A sink that throws is counted, never rethrown, and
 * the other sinks still get the record. Flush and shutdown wait for each sink at most
 * {@link DEFAULT_SINK_TIMEOUT_MS} (the built-in sinks bound themselves well within it), so one
 * hanging custom sink cannot hang `AuditLogger.shutdown()`; a sink that does not finish in time
 * is counted.
 */
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { errorText } from '../events/error-text.js';
import type { FailureKind } from '../events/failure-kinds.js';

/** Diagnostics kinds counted by {@link SinkFanout}. */
export const FANOUT_FAILURE = {
  emit: 'sink.emit',
  flush: 'sink.flush',
  shutdown: 'sink.shutdown',
} as const;

/** How long flush and shutdown wait for one sink by default (ms). */
export const DEFAULT_SINK_TIMEOUT_MS = 60_000;

/**
 * The timeout to give the OTel LoggerProvider's `forceFlush` (ms): its own default (30 s) would
 * reject before the sinks' bound; above it, a sink past its bound is counted as `sink.flush` and
 * the flush resolves.
 */
export const PROVIDER_FLUSH_TIMEOUT_MS = DEFAULT_SINK_TIMEOUT_MS + 5000;

/** A LogRecordProcessor forwarding to a dynamic list of sink processors. */
export class SinkFanout implements LogRecordProcessor {
  private sinks: readonly LogRecordProcessor[] = [];
  private closed = false;

  /** @param timeoutMs longest wait for one sink's flush or shutdown. */
  constructor(
    private readonly diagnostics: AuditDiagnostics,
    private readonly timeoutMs: number = DEFAULT_SINK_TIMEOUT_MS,
  ) {}

  /** Adds a sink; it receives every record emitted from now on. */
  add(sink: LogRecordProcessor): void {
    if (this.closed) throw new Error('audit sinks are shut down');
    this.sinks = [...this.sinks, sink];
  }

  /** Removes a sink (without shutting it down). Returns whether it was there. */
  remove(sink: LogRecordProcessor): boolean {
    const before = this.sinks.length;
    this.sinks = this.sinks.filter((s) => s !== sink);
    return this.sinks.length !== before;
  }

  /** The current sinks. */
  list(): readonly LogRecordProcessor[] {
    return this.sinks;
  }

  /** Forwards the record to every sink; never throws. */
  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) {
      try {
        (sinks[i] as LogRecordProcessor).onEmit(logRecord, context);
      } catch (err) {
        this.diagnostics.count(FANOUT_FAILURE.emit, `sink ${sinkName(sinks[i])} threw: ${errorText(err)}`);
      }
    }
  }

  /** Flushes every sink; failures are counted, not thrown. */
  async forceFlush(): Promise<void> {
    await this.each(FANOUT_FAILURE.flush, (s) => s.forceFlush());
  }

  /** Shuts every sink down; failures are counted, not thrown. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.each(FANOUT_FAILURE.shutdown, (s) => s.shutdown());
  }

  private async each(kind: FailureKind, action: (sink: LogRecordProcessor) => Promise<void>): Promise<void> {
    await Promise.all(
      this.sinks.map(async (sink) => {
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<'timeout'>((resolve) => {
          // not unref'd: the caller awaits the outcome, so the process waits for the bound (and the
          // count) instead of ending with the caller's await never returning
          timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
        });
        try {
          const outcome = await Promise.race([action(sink), limit]);
          if (outcome === 'timeout')
            this.diagnostics.count(
              kind,
              `sink ${sinkName(sink)} did not finish within ${this.timeoutMs} ms; not waited for any longer`,
            );
        } catch (err) {
          this.diagnostics.count(kind, `sink ${sinkName(sink)}: ${errorText(err)}`);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}

function sinkName(sink: LogRecordProcessor | undefined): string {
  return sink?.constructor?.name ?? 'unknown';
}
