/**
 * The last processor of the AuditLogger's pipeline: forwards every (already anonymized and signed)
 * record to a list of sink processors that can change after the LoggerProvider was built (the
 * SDK takes its processors at construction). A sink that throws is counted, never rethrown, and
 * the other sinks still get the record.
 */
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../events/diagnostics.js';

/** Diagnostics kinds counted by {@link SinkFanout}. */
export const FANOUT_FAILURE = {
  emit: 'sink.emit',
  flush: 'sink.flush',
  shutdown: 'sink.shutdown',
} as const;

/** A LogRecordProcessor forwarding to a dynamic list of sink processors. */
export class SinkFanout implements LogRecordProcessor {
  private sinks: readonly LogRecordProcessor[] = [];
  private closed = false;

  constructor(private readonly diagnostics: AuditDiagnostics) {}

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
        this.diagnostics.count(FANOUT_FAILURE.emit, `sink ${sinkName(sinks[i])} threw: ${message(err)}`);
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

  private async each(kind: string, action: (sink: LogRecordProcessor) => Promise<void>): Promise<void> {
    await Promise.all(
      this.sinks.map(async (sink) => {
        try {
          await action(sink);
        } catch (err) {
          this.diagnostics.count(kind, `sink ${sinkName(sink)}: ${message(err)}`);
        }
      }),
    );
  }
}

function sinkName(sink: LogRecordProcessor | undefined): string {
  return sink?.constructor?.name ?? 'unknown';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
