/**
 * The application-thread side of the shipper's worker thread: starts it, keeps the journal's
 * tip (lines written and buffered) in shared memory for it, answers status from its latest
 * report with the current tip, and forwards drain and stop. Failures the worker counts are
 * counted in the logger's diagnostics. The worker does not keep the process alive: what it has
 * not shipped at exit stays in the journal for the next process.
 */
import { Worker } from 'node:worker_threads';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import {
  lagOf,
  SHIPPER_FAILURE,
  type JournalTip,
  type LagParts,
  type LossDeclaration,
  type ShipperStatus,
} from './shipper-status.js';
import type { FromShipperWorker, ShipperWorkerData, ToShipperWorker } from './thread-protocol.js';
import { errorCodeText } from '../../events/error-text.js';
import type { LossRecorder } from '../../record/loss-record.js';

/** Diagnostics kind: the worker thread failed (it is not restarted; the journal keeps the records). */
export const SHIPPER_THREAD_FAILURE = 'shipper.thread';

/** What the shipper sink drives: the shipper in this thread or in a worker. */
export interface ShipperHandle {
  status(): ShipperStatus;
  drain(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** How often the journal's tip is copied to shared memory (ms). */
const TIP_INTERVAL_MS = 20;

/** A journal shipper running in a worker thread. */
export class ShipperThread implements ShipperHandle {
  private readonly worker: Worker;
  private readonly tipView: Float64Array;
  private readonly tipTimer: NodeJS.Timeout;
  private latest: { status: ShipperStatus; lag: LagParts } | undefined;
  private nextId = 1;
  private readonly drains = new Map<number, (ok: boolean) => void>();
  private stopped: Promise<void> | undefined;
  private exited = false;
  private exitWaiters: (() => void)[] = [];

  constructor(
    data: Omit<ShipperWorkerData, 'tip'>,
    private readonly tip: () => JournalTip,
    private readonly diagnostics: AuditDiagnostics,
    private readonly drainTimeoutMs: number,
    private readonly flushJournal: () => Promise<void>,
    /** Signs loss records of records the collector rejected (none: they are counted, not declared). */
    private readonly recorder?: () => LossRecorder | undefined,
  ) {
    const shared = new SharedArrayBuffer(16);
    this.tipView = new Float64Array(shared);
    this.copyTip();
    this.worker = new Worker(new URL('./shipper-worker.js', import.meta.url), {
      workerData: { ...data, tip: shared } satisfies ShipperWorkerData,
    });
    this.worker.unref();
    this.tipTimer = setInterval(() => this.copyTip(), TIP_INTERVAL_MS);
    this.tipTimer.unref();
    this.worker.on('message', (m: FromShipperWorker) => this.onMessage(m));
    this.worker.on('error', (err) =>
      this.diagnostics.count(SHIPPER_THREAD_FAILURE, `shipper thread failed: ${errorCodeText(err)}`),
    );
    this.worker.on('exit', () => {
      this.exited = true;
      clearInterval(this.tipTimer);
      for (const resolve of this.drains.values()) resolve(false);
      this.drains.clear();
      for (const resolve of this.exitWaiters.splice(0)) resolve();
    });
  }

  /** The worker's last reported status, with the lag computed against the journal's current tip. */
  status(): ShipperStatus {
    const tip = this.tip();
    if (!this.latest) {
      return {
        state: this.exited ? 'stopped' : 'starting',
        recordsBehind: tip.linesWritten + tip.pendingLines,
        secondsBehind: 0,
        recordsShipped: 0,
        requests: 0,
        failedRequests: 0,
        recordsRejected: 0,
      };
    }
    return {
      ...this.latest.status,
      ...lagOf(this.latest.lag, tip),
      ...(this.exited ? { state: 'stopped' as const } : {}),
    };
  }

  /** Writes the journal's buffer, then waits (at most `timeoutMs`) for the worker to ship everything written. */
  async drain(timeoutMs: number = this.drainTimeoutMs): Promise<boolean> {
    if (this.exited || this.stopped) return false;
    await this.flushJournal().catch(() => undefined);
    this.copyTip();
    const id = this.nextId++;
    const done = new Promise<boolean>((resolve) => this.drains.set(id, resolve));
    this.send({ type: 'drain', id, timeoutMs });
    return done;
  }

  /** Stops the worker after its request in flight; terminates it if it does not stop within the drain limit. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      if (this.exited) return;
      const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
      this.send({ type: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.drainTimeoutMs);
      });
      const outcome = await Promise.race([exited, limit]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        this.diagnostics.count(
          SHIPPER_FAILURE.export,
          `shipper thread did not stop within ${this.drainTimeoutMs} ms; terminated (unacknowledged records stay in the journal)`,
        );
        await this.worker.terminate();
      }
      clearInterval(this.tipTimer);
    })();
    return this.stopped;
  }

  private copyTip(): void {
    const tip = this.tip();
    this.tipView[0] = tip.linesWritten;
    this.tipView[1] = tip.pendingLines;
  }

  private send(message: ToShipperWorker): void {
    try {
      this.worker.postMessage(message);
    } catch (err) {
      this.diagnostics.count(SHIPPER_THREAD_FAILURE, `cannot reach the shipper thread: ${errorCodeText(err)}`);
    }
  }

  private onMessage(m: FromShipperWorker): void {
    switch (m.type) {
      case 'status':
        this.latest = { status: m.status, lag: m.lag };
        break;
      case 'count':
        this.diagnostics.count(m.kind, m.detail, m.times);
        break;
      case 'drained':
        this.drains.get(m.id)?.(m.ok);
        this.drains.delete(m.id);
        break;
      case 'declare-loss': {
        const recorder = this.recorder?.();
        let outcome: LossDeclaration = 'unavailable';
        if (recorder) {
          try {
            outcome = recorder.recordLoss(m.loss) ? 'declared' : 'failed';
          } catch {
            outcome = 'failed';
          }
        }
        this.send({ type: 'loss-declared', id: m.id, outcome });
        break;
      }
      case 'stopped':
        break;
    }
  }
}
