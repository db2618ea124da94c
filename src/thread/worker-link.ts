/**
 * The app thread's handle on the audit worker: starts it and waits (bounded, synchronously) for
 * its start-up answer, so configuration errors still throw from `createAuditLogger`; feeds the
 * ring; asks for flush and shutdown (bounded: a worker that shows no sign of life for
 * `hangTimeoutMs` counts as hung, one that does not answer within `flushTimeoutMs` although it
 * does as stalled, and a shutdown then stops it); applies the worker's state
 * reports (failures, seals, head) and replayed records; and at process exit blocks (bounded) until
 * the worker has written every record handed to it.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import type { FailureKind } from '../events/failure-kinds.js';
import { errorText } from '../events/error-text.js';
import type { StreamHead } from '../record/stream-head.js';
import type { ShipperStatus } from '../sinks/shipper/shipper-status.js';
import { errorOf } from './error-of.js';
import { takeWorkerFault } from './fault-injection.js';
import type { AuditWorkerData, ErrorShape, FromAuditWorker, ReplayedRecord, StartAnswer } from './protocol.js';
import { DEFAULT_FEED_LIMITS, RecordFeed, type FeedStats } from './record-feed.js';
import { ENTRY_KIND, Ring, RING_WORD, WORKER_STATUS, type EntryKind } from './ring.js';
import type { ResolvedThreadOptions } from './thread-options.js';
import { WorkerWatchdog } from './worker-watchdog.js';

/** Diagnostics kind of a worker that failed, exited or could not be reached. */
export const WORKER_FAILURE = 'thread.worker';

/** What the link reports to the app thread's pipeline. */
export interface WorkerLinkHooks {
  readonly diagnostics: AuditDiagnostics;
  /** A seal was written in the worker (for the seal counter). */
  readonly onSeal: (reason: string) => void;
  /** Signed records posted back for the app thread's sinks (alerts, webhooks). */
  readonly onRecords: (records: readonly ReplayedRecord[]) => void;
}

/** The thread pipeline's figures for `getDiagnostics().thread`. */
export interface ThreadStats extends FeedStats {
  /** Records the worker has emitted into its pipeline. */
  readonly workerEmitted: number;
  /** CPU time of the worker thread so far (ms), where the platform tells. */
  readonly workerCpuMs?: number;
}

/** A running audit worker and the ring feeding it. */
export class WorkerLink {
  readonly feed: RecordFeed;
  readonly streamId: string;
  /** The journal's active file as the worker resolved it, when there is a journal. */
  readonly auditFile: string | undefined;
  private readonly ring: Ring;
  private readonly worker: Worker;
  private readonly largePort: MessageChannel['port1'];
  private head: StreamHead | undefined;
  private shipping: ShipperStatus | undefined;
  private workerEmitted = 0;
  private workerCpuMs: number | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: () => void; reject: (err: Error) => void; stallTimer: NodeJS.Timeout }
  >();
  private stopped = false;
  /** The one shutdown, once asked for. */
  private closing: Promise<void> | undefined;
  private readonly onExit = (): void => this.drainAtExit();
  private readonly watchdog: WorkerWatchdog;
  /** The worker's beat when it was found hung; cleared once it beats again. */
  private hungAtBeat: number | undefined;

  constructor(
    workerData: Omit<AuditWorkerData, 'ring' | 'startPort' | 'largePort' | 'fault'>,
    private readonly hooks: WorkerLinkHooks,
    private readonly settings: ResolvedThreadOptions,
  ) {
    const buffer = Ring.allocate(settings.ringBytes);
    this.ring = new Ring(buffer);
    const start = new MessageChannel();
    const large = new MessageChannel();
    this.largePort = large.port1;
    const fault = takeWorkerFault();
    const data: AuditWorkerData = {
      ...workerData,
      ring: buffer,
      startPort: start.port2,
      largePort: large.port2,
      ...(fault ? { fault } : {}),
    };
    try {
      this.worker = new Worker(new URL('./audit-worker.js', import.meta.url), {
        workerData: data,
        transferList: [start.port2, large.port2],
      });
    } catch (err) {
      start.port1.close();
      large.port1.close();
      throw new TypeError(
        `thread mode: the options cannot be sent to the audit worker (only plain data can): ${errorText(err)}`,
        { cause: err },
      );
    }
    const words = this.ring.words;
    const waited = Atomics.wait(words, RING_WORD.status, WORKER_STATUS.starting, settings.startTimeoutMs);
    const answer = receiveMessageOnPort(start.port1)?.message as StartAnswer | undefined;
    start.port1.close();
    if (waited === 'timed-out' || !answer || !answer.ok) {
      void this.worker.terminate();
      large.port1.close();
      if (answer && !answer.ok) throw errorOf(answer.error);
      throw new Error(`the audit worker did not start within ${settings.startTimeoutMs} ms`);
    }
    this.watchdog = new WorkerWatchdog(this.ring.words, settings.hangTimeoutMs, () => this.hung());
    this.streamId = answer.streamId;
    this.head = answer.head;
    this.auditFile = answer.auditFile;
    this.feed = new RecordFeed(
      this.ring,
      hooks.diagnostics,
      (kind, text) => this.largePort.postMessage({ kind, text }),
      { ...DEFAULT_FEED_LIMITS, overflowChars: settings.overflowChars, maxWaitMs: settings.maxWaitMs },
    );
    this.worker.on('message', (m: FromAuditWorker) => this.onMessage(m));
    this.worker.on('error', (err) => this.lost(`the audit worker failed: ${err.message}`));
    this.worker.on('exit', (code) => this.lost(`the audit worker exited (code ${code})`));
    process.on('exit', this.onExit);
    // neither the worker nor its ports keep the process alive (after the listeners: adding one refs
    // the port again); the exit handler drains instead
    this.worker.unref();
    this.largePort.unref();
  }

  /** Hands one entry to the worker; never throws. */
  push(kind: EntryKind, text: string): void {
    this.feed.push(kind, text);
  }

  /** Hands a control entry to the worker, ordered with the records. */
  control(entry: object): void {
    this.feed.push(ENTRY_KIND.control, JSON.stringify(entry));
  }

  /** Last signed record of the stream as the worker last reported it. */
  lastHead(): StreamHead | undefined {
    return this.head;
  }

  /** The shipper's status as the worker last reported it. */
  shipperStatus(): ShipperStatus | undefined {
    return this.shipping;
  }

  /** The feed's and the worker's figures. */
  stats(): ThreadStats {
    return {
      ...this.feed.stats(),
      workerEmitted: this.workerEmitted,
      ...(this.workerCpuMs !== undefined ? { workerCpuMs: this.workerCpuMs } : {}),
    };
  }

  /** Resolves once the worker has emitted and flushed everything handed to it so far. */
  async flush(): Promise<void> {
    // a worker found hung (and silent since) was counted once: later calls do not wait for it again
    if (this.unresponsive()) return;
    await this.handOver();
    return this.request('flush');
  }

  /**
   * Moves the whole overflow queue into the ring without blocking the thread, for as long as the
   * worker keeps taking entries (gives up after `maxWaitMs` or `exitWaitMs`, the longer, without
   * progress, or when it is gone).
   */
  private async handOver(): Promise<void> {
    const patience = Math.max(this.settings.maxWaitMs, this.settings.exitWaitMs);
    let queued = this.feed.stats().queued;
    let deadline = Date.now() + patience;
    while (!this.feed.drainBlocking(0) && !this.feed.dead && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const now = this.feed.stats().queued;
      if (now < queued) deadline = Date.now() + patience;
      queued = now;
    }
  }

  /** Has the worker write everything, the shutdown seal, close the journal, then stops it. Idempotent. */
  shutdown(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  private async close(): Promise<void> {
    if (this.stopped) return;
    if (this.unresponsive()) this.stopHung();
    await this.handOver();
    try {
      await this.request('shutdown');
    } finally {
      // unless the worker was found gone or hung meanwhile (lost() counted everything then)
      if (!this.stopped) {
        this.stopped = true;
        this.feed.dead = true;
        // a flush that raced the shutdown is answered by it: the worker wrote everything and stops
        // now, so its exit must not leave that caller waiting (lost() ignores a stopped link)
        for (const id of [...this.pending.keys()]) this.settle(id);
        // what the worker did not take before it stopped is counted, never dropped silently
        this.feed.countLost(this.ring.countEntries(), 'not taken by the audit worker before shutdown');
        this.feed.abandon('not handed to the audit worker before shutdown');
        process.off('exit', this.onExit);
      }
      this.watchdog.stop();
      this.largePort.close();
      await this.worker.terminate();
    }
  }

  /** True while the worker, found hung, has shown no sign of life since. */
  private unresponsive(): boolean {
    if (this.hungAtBeat === undefined) return false;
    if (this.watchdog.beat() === this.hungAtBeat) return true;
    this.hungAtBeat = undefined; // it came back
    return false;
  }

  /**
   * The worker showed no sign of life for `hangTimeoutMs` while requests waited: counted once; a
   * flush or query goes on without it; a shutdown stops it.
   */
  private hung(): void {
    if (this.stopped) return;
    if (this.closing !== undefined) {
      this.stopHung();
      return;
    }
    this.hungAtBeat = this.watchdog.beat();
    this.hooks.diagnostics.count(
      WORKER_FAILURE,
      `the audit worker showed no sign of life for ${this.settings.hangTimeoutMs} ms: flush and queries went on without it; records it holds are not known to be written`,
    );
    for (const id of [...this.pending.keys()]) this.settle(id);
  }

  /** At shutdown or exit, a hung worker is given up: every record not known to be written is counted. */
  private stopHung(at: 'shutdown' | 'exit' = 'shutdown'): void {
    const reason =
      at === 'shutdown'
        ? `the audit worker showed no sign of life for ${this.settings.hangTimeoutMs} ms at shutdown and was stopped`
        : `the audit worker, found hung (no sign of life for ${this.settings.hangTimeoutMs} ms), was not waited for at exit`;
    // a hang already counted as thread.worker is not counted again
    this.giveUp(reason, this.hungAtBeat === undefined);
  }

  /**
   * Stops waiting for the worker for good: counts it (unless `countWorker` is false), counts every
   * record not known to be written as lost, and says so on stderr, where it stays visible too.
   */
  private giveUp(reason: string, countWorker = true): void {
    const before = this.feed.stats().lost;
    this.lost(reason, countWorker);
    const lost = this.feed.stats().lost - before;
    process.stderr.write(
      `orchestrator-audit: thread mode: ${reason}; ${lost} record(s) not known to be written counted as thread.lost\n`,
    );
  }

  /**
   * A flush or shutdown still unanswered after `flushTimeoutMs` although the worker shows signs of
   * life (a sink whose flush never finishes): counted as `thread.worker`; a flush goes on without
   * it; a shutdown stops the worker and counts every record not known to be written, as for a
   * hung worker.
   */
  private stalled(id: number, type: 'flush' | 'shutdown'): void {
    if (this.stopped || !this.pending.has(id)) return;
    const bound = this.settings.flushTimeoutMs;
    if (type === 'flush') {
      this.hooks.diagnostics.count(
        WORKER_FAILURE,
        `the audit worker did not finish a flush within ${bound} ms (it still shows signs of life): flush went on without it; records it holds are not known to be written`,
      );
      this.settle(id);
      return;
    }
    this.giveUp(
      `the audit worker did not finish its shutdown within ${bound} ms (it still shows signs of life) and was stopped`,
    );
  }

  /** Stops the worker at once (what a crash of the worker looks like to the app thread). */
  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private request(type: 'flush' | 'shutdown'): Promise<void> {
    if (this.feed.dead) return Promise.resolve();
    // a flush while shutting down is done when the shutdown is
    if (type === 'flush' && this.closing !== undefined) return this.closing;
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      // a worker that keeps showing signs of life but does not finish is not waited for past the bound
      const stallTimer = setTimeout(() => this.stalled(id, type), this.settings.flushTimeoutMs);
      this.pending.set(id, { resolve, reject, stallTimer });
      this.worker.ref(); // the process waits for the answer
      this.watchdog.start();
      this.worker.postMessage({ type, id });
    });
  }

  private settle(id: number, error?: ErrorShape): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.stallTimer);
    if (this.pending.size === 0) {
      this.worker.unref();
      this.watchdog.stop();
    }
    if (error) entry.reject(errorOf(error));
    else entry.resolve();
  }

  private onMessage(m: FromAuditWorker): void {
    if (m.type === 'reply') this.settle(m.id, m.error);
    else if (m.type === 'records') this.hooks.onRecords(m.records);
    else {
      for (const [kind, detail, times] of m.failures) this.hooks.diagnostics.count(kind as FailureKind, detail, times);
      for (const reason of m.seals) this.hooks.onSeal(reason);
      this.head = m.head;
      this.shipping = m.shipping;
      this.workerEmitted = m.emitted;
      if (m.cpuMs !== undefined) this.workerCpuMs = m.cpuMs;
    }
  }

  /** The worker is gone: what it did not take is counted; waiting callers are released. */
  private lost(reason: string, countWorker = true): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.onExit);
    this.feed.dead = true;
    if (countWorker) this.hooks.diagnostics.count(WORKER_FAILURE, reason);
    // entries the worker never took (control entries included: each stands for a change not applied)
    const unread = this.ring.countEntries();
    this.feed.countLost(unread, `${reason}; not written`);
    // entries it took but had not reported written (its journal's buffer, or failures not yet reported)
    const taken = this.feed.stats().written - unread;
    const unsettled = (taken - Atomics.load(this.ring.words, RING_WORD.settled)) | 0; // the word wraps at 2^32
    this.feed.countLost(unsettled, `${reason}; taken by the worker, not known to be written`);
    this.feed.abandon(reason);
    for (const id of [...this.pending.keys()]) this.settle(id);
  }

  /** At process exit: hands over the overflow queue and waits until the worker has written it all. */
  private drainAtExit(): void {
    if (this.stopped || this.feed.dead) return;
    // a worker already found hung, and silent since, would only make the exit wait `exitWaitMs`
    if (this.unresponsive()) {
      this.stopHung('exit');
      return;
    }
    const words = this.ring.words;
    this.feed.drainBlocking(this.settings.exitWaitMs);
    Atomics.store(words, RING_WORD.exitRequest, 1);
    Atomics.store(words, RING_WORD.sleeping, 0);
    Atomics.notify(words, RING_WORD.sleeping);
    const outcome = Atomics.wait(words, RING_WORD.exitDone, 0, this.settings.exitWaitMs);
    if (outcome === 'timed-out' || this.feed.stats().queued > 0) {
      const detail = `records not written within ${this.settings.exitWaitMs} ms at exit`;
      this.hooks.diagnostics.count(WORKER_FAILURE, detail);
      // the process ends now: the counter goes with it, so the loss is also said where it stays visible
      process.stderr.write(`orchestrator-audit: thread mode: ${detail}; the journal misses them\n`);
    }
  }
}
