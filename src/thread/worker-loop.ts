/**
 * The audit worker's work: builds the real pipeline (PII → signing → journal, shipper, OTLP,
 * witnesses) from the options the app thread sent, then emits every ring entry through it, in
 * order, so the processors run unchanged off the app thread. Failures counted here, seals
 * written, the stream head and the shipper's status go back to the app thread in batched state
 * messages; signed records go back too while the app thread has alerts or webhooks.
 */
import type { Attributes } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { AuditDiagnostics } from '../events/diagnostics.js';
import type { FailureKind } from '../events/failure-kinds.js';
import { buildPipeline, type AuditPipeline } from '../logger/pipeline.js';
import { PROVIDER_FLUSH_TIMEOUT_MS } from '../logger/sink-fanout.js';
import { blockForever, stalledSink, throwUncaught } from './fault-injection.js';
import { leanEmitterOf, logRecordOf } from './lean-emitter.js';
import { ENTRY_KIND, Ring, RING_WORD, WORKER_STATUS, type EntryKind } from './ring.js';
import {
  errorShapeOf,
  type AuditWorkerData,
  type ControlEntry,
  type FromAuditWorker,
  type RecordSnapshot,
  type ReplayedRecord,
  type ToAuditWorker,
} from './protocol.js';
import { BEAT_INTERVAL_MS } from './worker-watchdog.js';

/** Entries emitted per turn of the worker's event loop (timers and I/O run between turns). */
const ENTRIES_PER_TURN = 512;
/** How often failures, seals and the head are reported (ms). */
const STATE_INTERVAL_MS = 20;

/** CPU time of this thread (Linux `/proc/thread-self/stat`, user + system, 10 ms ticks). */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** Forwards signed records to the app thread while replay is on. */
class ReplaySink implements LogRecordProcessor {
  on = false;
  batch: ReplayedRecord[] = [];
  constructor(private readonly scheduled: () => void) {}
  onEmit(log: ReadWriteLogRecord): void {
    if (!this.on) return;
    const sc = log.spanContext;
    this.batch.push({
      hrTime: log.hrTime,
      hrTimeObserved: log.hrTimeObserved,
      eventName: log.eventName,
      severityNumber: log.severityNumber,
      severityText: log.severityText,
      body: log.body,
      attributes: log.attributes,
      trace: sc ? [sc.traceId, sc.spanId, sc.traceFlags] : 0,
    });
    this.scheduled();
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Runs the worker; throws (before reporting ready) when the pipeline cannot be built. */
export function runAuditWorker(data: AuditWorkerData, port: MessagePort): void {
  const ring = new Ring(data.ring);
  const fault = data.fault;
  const words = ring.words;
  const post = (message: FromAuditWorker): void => port.postMessage(message);
  const failures = new Map<string, { n: number; detail: string | undefined }>();
  const seals: string[] = [];
  const diagnostics = new AuditDiagnostics();
  diagnostics.onFailure((kind, detail, times) => {
    const entry = failures.get(kind);
    if (entry) {
      entry.n += times;
      entry.detail = detail;
    } else failures.set(kind, { n: times, detail });
    scheduleState();
  });
  const { resourceAttributes, ...options } = data.options;
  const pipeline: AuditPipeline = buildPipeline({
    ...options,
    resource: resourceFromAttributes(resourceAttributes as Attributes),
    diagnostics,
    // the app thread owns the metrics; this provider only feeds the seal count back
    meterProvider: new MeterProvider(),
  });
  const sealCount = pipeline.metrics.seal.bind(pipeline.metrics);
  pipeline.metrics.seal = (reason: string) => {
    seals.push(reason);
    sealCount(reason);
    scheduleState();
  };
  const replay = new ReplaySink(() => scheduleState());
  pipeline.sinks.add(replay);
  if (fault && 'stallSinkOn' in fault) pipeline.sinks.add(stalledSink(fault.stallSinkOn));
  let emitted = 0;
  /** Ring entries taken (a side-channel entry counts once, as the app thread counts it). */
  let taken = 0;
  let stateTimer: NodeJS.Timeout | undefined;

  function sendState(): void {
    stateTimer = undefined;
    const list: [string, string | undefined, number][] = [];
    for (const [kind, { n, detail }] of failures) list.push([kind, detail, n]);
    failures.clear();
    const buffered = reportSettled();
    post({
      type: 'state',
      failures: list,
      seals: seals.splice(0),
      head: pipeline.signing.head(),
      ...(pipeline.shipper ? { shipping: pipeline.shipper.status() } : {}),
      ...(threadCpuMs() !== undefined ? { cpuMs: threadCpuMs() } : {}),
      emitted,
    });
    if (replay.batch.length > 0) post({ type: 'records', records: replay.batch.splice(0) });
    // report again until the buffers are written, so the app thread knows what a dead worker took with it
    if (buffered > 0 && !stopping) scheduleState();
  }
  /**
   * Publishes how many taken entries are settled (in the ring's `settled` word, which the app
   * thread reads when the worker is gone) and returns how many are not yet.
   */
  function reportSettled(): number {
    // records taken but not yet written: lines in the journal's buffer, and records the OTLP sink
    // holds until the collector answers (the same records when both run: the larger count)
    const buffered = Math.max(
      pipeline.journal ? pipeline.journal.statistics().pendingLines : 0,
      pipeline.otlpLogs ? pipeline.otlpLogs.pendingRecords : 0,
    );
    Atomics.store(words, RING_WORD.settled, Math.max(0, taken - buffered) | 0);
    return buffered;
  }
  // a thread ending on an uncaught error still runs exit listeners: the journal's (registered
  // earlier) writes its buffer, then this one publishes what that settled
  process.on('exit', () => void reportSettled());

  function scheduleState(): void {
    stateTimer ??= setTimeout(sendState, STATE_INTERVAL_MS);
  }

  const logger = pipeline.logger;
  // records go to the processors without the SDK record's check and copy of their values when the logger allows
  const lean = leanEmitterOf(logger);
  function emitEntry(kind: EntryKind, text: string): void {
    if (kind === ENTRY_KIND.large) {
      const side = receiveMessageOnPort(data.largePort) as { message: { kind: EntryKind; text: string } } | undefined;
      if (!side) {
        diagnostics.count('thread.lost' as FailureKind, 'an entry of the side channel did not arrive');
        return;
      }
      emitEntry(side.message.kind, side.message.text);
      return;
    }
    try {
      if (kind === ENTRY_KIND.control) {
        const control = JSON.parse(text) as ControlEntry;
        if (control.anonymizing !== undefined) pipeline.pii.setAnonymizing(control.anonymizing);
        if (control.replay !== undefined) replay.on = control.replay;
        return;
      }
      const snapshot = JSON.parse(text) as RecordSnapshot;
      if (!lean?.emit(snapshot, text)) logger.emit(logRecordOf(snapshot));
      emitted++;
      if (fault && 'throwAfterRecords' in fault && emitted === fault.throwAfterRecords)
        throwUncaught(new Error(`audit worker: injected fault after ${emitted} records`));
    } catch (err) {
      diagnostics.count('logger.emit', `audit worker: ${errorShapeOf(err).message}`);
    }
  }

  /** Emits one entry taken from the ring. */
  function takeEntry(kind: EntryKind, text: string): void {
    taken++;
    emitEntry(kind, text);
  }

  /** Emits what the ring holds now (all of it). */
  function drainAll(): void {
    while (ring.read(ENTRIES_PER_TURN, takeEntry) > 0);
  }

  let stopping = false;
  async function loop(): Promise<void> {
    while (!stopping) {
      if (Atomics.load(words, RING_WORD.exitRequest) === 1) {
        exitNow();
        return;
      }
      if (ring.read(ENTRIES_PER_TURN, takeEntry) > 0) {
        scheduleState();
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      const wake = ring.sleep();
      if (wake) await wake;
    }
  }

  /** The app thread is exiting: write every entry, the shutdown seal and the journal's buffer synchronously, then answer. */
  function exitNow(): void {
    try {
      drainAll();
      // a normal exit closes the stream as shutdown() would: the shutdown seal, then the buffer
      pipeline.signing.sealForShutdown();
      // the journal writes its buffer synchronously here (the same write as at an inline exit)
      void pipeline.journal?.flush().catch(() => undefined);
    } catch (err) {
      diagnostics.count('logger.emit', `audit worker at exit: ${errorShapeOf(err).message}`);
    } finally {
      Atomics.store(words, RING_WORD.exitDone, 1);
      Atomics.notify(words, RING_WORD.exitDone);
    }
  }

  // while it answers requests, the worker shows it is alive (the app thread's bound on a hung worker)
  let answering = 0;
  let beatTimer: NodeJS.Timeout | undefined;
  const beat = (): void => void Atomics.add(words, RING_WORD.beat, 1);
  port.on('message', (message: ToAuditWorker) => {
    beat();
    if (answering++ === 0) beatTimer = setInterval(beat, BEAT_INTERVAL_MS);
    if (fault && 'hangOn' in fault && fault.hangOn === message.type) blockForever();
    void (async () => {
      try {
        drainAll();
        if (message.type === 'flush') {
          // the sinks' own bound governs (a sink past it is counted as sink.flush), not the SDK's shorter one
          await pipeline.loggerProvider.forceFlush({ timeoutMillis: PROVIDER_FLUSH_TIMEOUT_MS });
        } else {
          stopping = true;
          await pipeline.loggerProvider.shutdown();
          await pipeline.journal?.idle();
          Atomics.store(words, RING_WORD.status, WORKER_STATUS.stopped);
          Atomics.store(words, RING_WORD.sleeping, 0);
          Atomics.notify(words, RING_WORD.sleeping);
        }
        if (fault && 'failOn' in fault && fault.failOn === message.type)
          throw new Error(`audit worker: injected failure of ${message.type}`);
        clearTimeout(stateTimer);
        sendState();
        post({ type: 'reply', id: message.id });
      } catch (err) {
        post({ type: 'reply', id: message.id, error: errorShapeOf(err) });
      } finally {
        if (--answering === 0) clearInterval(beatTimer);
      }
    })();
  });

  data.startPort.postMessage({
    ok: true,
    streamId: pipeline.signing.streamId,
    head: pipeline.signing.head(),
    ...(pipeline.journal ? { auditFile: pipeline.journal.activePath } : {}),
  });
  Atomics.store(words, RING_WORD.status, WORKER_STATUS.ready);
  Atomics.notify(words, RING_WORD.status);
  void loop();
}
