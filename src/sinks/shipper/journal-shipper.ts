/**
 * The journal shipper: the journal is the queue of the OTLP log path. It reads the records the
 * journal holds (active file, rotated and gzipped segments) from its saved cursor on, sends them
 * to the collector in batches, and moves the cursor (saved atomically) only after the collector
 * acknowledged a batch. A failed request is retried with exponential back-off, forever: under
 * load or during an outage the shipper lags behind the journal instead of dropping anything, and
 * the lag (records and seconds behind) is reported by {@link JournalShipper.status}. Records the
 * collector rejects permanently (HTTP 400 / 413) are isolated by splitting the batch, the rest is
 * delivered, and the rejected ones are declared lost in signed loss records.
 *
 * Delivery is at least once: a process stopped between an acknowledgement and the cursor write
 * sends that batch again when it restarts. Each record carries `audit.stream` and `audit.seq`
 * and is sent as the same bytes every time (`otlp-encoding.ts`), so copies are exact
 * duplicates a backend or the verifier recognizes.
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { errorCodeText } from '../../events/error-text.js';
import type { RecordLoss } from '../../record/loss-record.js';
import type { JournalLayout } from '../journal/layout.js';
import { backoffDelayMs } from '../webhooks/backoff.js';
import { countBacklog } from './backlog.js';
import { deliverBatch, type BatchSettlement } from './batch-delivery.js';
import { CURSOR_VERSION, cursorPathOf, loadCursor, type ShipCursor } from './cursor.js';
import { CursorSaver } from './cursor-saver.js';
import type { LineAt } from './file-lines.js';
import { InFlightBatches, type InFlightBatch } from './in-flight-batches.js';
import type { ResolvedShipperOptions } from './options.js';
import type { OtlpLogEncoding, ShipEntry } from './otlp-encoding.js';
import type { LogBatchSender } from './otlp-sender.js';
import { ReadingPosition } from './reading-position.js';
import type { RejectionContext } from './rejections.js';
import { ShipperProgress } from './shipper-progress.js';
import {
  SHIPPER_FAILURE,
  type JournalTip,
  type LagParts,
  type LossDeclaration,
  type ShipperStatus,
} from './shipper-status.js';
import { Wakeable } from './wakeable.js';

/** What a shipper needs. */
export interface JournalShipperParams {
  readonly layout: JournalLayout;
  /** Sends encoded requests to the collector. */
  readonly sender: LogBatchSender;
  /** Turns journal lines into OTLP log records and requests (resource and scope included). */
  readonly encoding: OtlpLogEncoding;
  readonly diagnostics: AuditDiagnostics;
  readonly options: ResolvedShipperOptions;
  /** The journal writer's counters (for the lag in records). */
  readonly tip?: () => JournalTip;
  /** Writes what the journal still buffers (before a drain). */
  readonly flushJournal?: () => Promise<void>;
  /**
   * Declares records the collector rejected permanently as lost (a signed loss record in the
   * current stream). `unavailable`: nothing can sign one (they are only counted); `failed`: the
   * signer could not write it now (e.g. it has shut down), asked again until the shipper stops.
   */
  readonly declareLoss?: (loss: RecordLoss) => Promise<LossDeclaration>;
}

/** Ships the journal's records to the collector. */
export class JournalShipper {
  /** Path of the cursor file. */
  readonly cursorPath: string;
  private readonly position: ReadingPosition;
  private readonly progress: ShipperProgress;
  private readonly saver: CursorSaver;
  private readonly inFlight: InFlightBatches;
  private readonly wake = new Wakeable();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private cursor: ShipCursor | undefined;
  private epoch = 0;
  private drainWaiters: { epoch: number; resolve: () => void }[] = [];

  constructor(private readonly params: JournalShipperParams) {
    const { diagnostics, options } = params;
    this.cursorPath = cursorPathOf(params.layout.activePath);
    this.position = new ReadingPosition(params.layout, diagnostics);
    this.progress = new ShipperProgress(diagnostics, options.retryMaxMs);
    this.saver = new CursorSaver(this.cursorPath, diagnostics);
    const rejections: RejectionContext = {
      diagnostics,
      ...(params.declareLoss ? { declareLoss: params.declareLoss } : {}),
      stopping: () => this.stopping,
      sleep: (ms) => this.wake.sleep(ms, { ignoreWake: true, until: () => this.stopping }),
      retryMs: options.retryMaxMs,
    };
    this.inFlight = new InFlightBatches(rejections, (batch, rejected) => this.settled(batch, rejected));
  }

  /** Starts shipping in the background (idempotent). */
  start(): void {
    this.loop ??= this.run();
  }

  /** State, lag and counters. */
  status(): ShipperStatus {
    return this.progress.status(this.cursor?.last, this.params.tip?.());
  }

  /** The cursor as last saved (or loaded at start). */
  savedCursor(): ShipCursor | undefined {
    return this.cursor;
  }

  /**
   * Writes what the journal buffers and waits until the shipper has sent everything written so
   * far, at most `timeoutMs`. Resolves true when caught up, false at the limit (the rest stays in
   * the journal and is shipped later, or by the next process).
   */
  async drain(timeoutMs: number = this.params.options.drainTimeoutMs): Promise<boolean> {
    if (this.stopping) return false;
    await this.params.flushJournal?.().catch(() => undefined);
    const caughtUp = new Promise<true>((resolve) =>
      this.drainWaiters.push({ epoch: this.epoch, resolve: () => resolve(true) }),
    );
    this.wake.wake();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([caughtUp, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops after the request in flight (its acknowledgement still moves the cursor). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.wake();
    await this.loop;
    await this.inFlight.settleAll();
    await this.saver.written();
    this.params.sender.close();
    await this.position.close();
    this.progress.state = 'stopped';
  }

  /** The parts of the lag that do not depend on the journal's tip (see {@link ShipperProgress.lagParts}). */
  lagParts(): LagParts {
    return this.progress.lagParts(this.cursor?.last);
  }

  private async run(): Promise<void> {
    try {
      await this.resume();
    } catch (err) {
      this.params.diagnostics.count(
        SHIPPER_FAILURE.cursor,
        `cannot resume from ${this.cursorPath}: ${errorCodeText(err)}; shipping from the start of the journal`,
      );
    }
    if (this.progress.state === 'counting') this.progress.state = 'shipping';
    let failures = 0;
    while (!this.stopping) {
      try {
        const progressed = await this.step();
        failures = 0;
        if (!progressed) await this.wake.sleep(this.params.options.pollIntervalMs);
      } catch (err) {
        failures++;
        this.params.diagnostics.count(SHIPPER_FAILURE.read, errorCodeText(err));
        await this.position.close();
        await this.wake.sleep(
          backoffDelayMs(failures, this.params.options.retryInitialMs, this.params.options.retryMaxMs) +
            this.params.options.pollIntervalMs,
        );
      }
    }
  }

  /**
   * Loads the cursor, opens the file it points into, and counts the backlog: the lines after the
   * cursor. Until that count is known the lag counts only what this process's journal wrote.
   */
  private async resume(): Promise<void> {
    this.progress.state = 'counting';
    const cursor = await loadCursor(this.cursorPath);
    this.cursor = cursor;
    // The count reads to the end of the files as they are when it gets there; the tip is taken
    // right after, so lines written during the count are counted once (both are re-aligned at
    // every catch-up).
    const counted = await countBacklog(this.params.layout.activePath, () => this.position.resumeAt(cursor));
    if (!counted) return;
    this.progress.calibrate(counted.lines, this.params.tip?.().linesWritten ?? 0);
  }

  /** One read-and-ship round. Resolves false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const seen = ++this.epoch;
    if (!this.position.isOpen) return this.reopen();
    // The writer's count before the read: when the read then finds nothing more, every line
    // counted here is in the files already read. Taken after the read instead, it would also count
    // lines written while the batches out were settling, and the lag would miss them for good.
    const tip = this.params.tip?.();
    const lines = await this.position.readLines(this.params.options.maxBatchRecords);
    if (lines.length > 0) {
      await this.ship(lines);
      return true;
    }
    await this.inFlight.settleAll();
    const state = await this.position.fileState();
    if (state === 'done') return this.position.advance();
    if (state === 'reread') return true;
    this.progress.idle();
    if (tip && this.position.segment.kind === 'active' && this.position.pendingBytes === 0)
      this.progress.caughtUpAt(tip.linesWritten);
    for (const w of this.drainWaiters.splice(0)) {
      if (w.epoch < seen) w.resolve();
      else this.drainWaiters.push(w);
    }
    return false;
  }

  /**
   * Opens the file to read when none is open (after a failed read, or when the journal had no
   * file to go on with): where the last acknowledged batch ended, once the batches out are settled
   * — the start of the journal only when nothing was acknowledged yet.
   */
  private async reopen(): Promise<boolean> {
    await this.inFlight.settleAll();
    if (this.stopping) return false;
    return (await this.position.resumeAt(this.cursor)) !== undefined;
  }

  /**
   * Starts sending the records among `lines` (settled when the collector accepted or rejected
   * each of them) and queues the cursor that follows them. Waits while
   * {@link ResolvedShipperOptions.maxInFlight} batches are out.
   */
  private async ship(lines: readonly LineAt[]): Promise<void> {
    const file = this.position.segment.name;
    const entries: ShipEntry[] = [];
    for (const line of lines) if (line.text.length > 0) entries.push(this.params.encoding.entryOf(line.text));
    let lastRecord: ShipEntry | undefined;
    let oldest = NaN;
    for (const e of entries) {
      if (e.stream === undefined || e.seq === undefined || e.ts === undefined) continue;
      lastRecord = e;
      if (Number.isNaN(oldest)) oldest = Date.parse(e.ts);
    }
    if (this.progress.oldestPendingMs === undefined && Number.isFinite(oldest)) this.progress.oldestPendingMs = oldest;
    const head = await this.position.headFor(lines);
    this.inFlight.add({
      lines: lines.length,
      records: entries.length,
      file,
      head,
      offset: (lines[lines.length - 1] as LineAt).end,
      ...(lastRecord
        ? { last: { stream: lastRecord.stream as string, seq: lastRecord.seq as number, ts: lastRecord.ts as string } }
        : {}),
      acknowledged:
        entries.length > 0
          ? this.deliver(entries)
          : Promise.resolve({ settled: true, rejected: [], partiallyRejected: 0, partialMessages: [] }),
    });
    while (this.inFlight.size >= this.params.options.maxInFlight) await this.inFlight.settleOldest();
  }

  /** A batch was settled (in order): counts it and moves the cursor past it. */
  private settled(batch: InFlightBatch, rejected: number): void {
    this.progress.batchSettled(batch.lines, batch.records, rejected);
    const last = batch.last ?? this.cursor?.last;
    this.cursor = {
      v: CURSOR_VERSION,
      file: batch.file,
      head: batch.head,
      offset: batch.offset,
      ...(last ? { last } : {}),
      shippedTotal: (this.cursor?.shippedTotal ?? 0) + batch.records - rejected,
      savedAt: new Date().toISOString(),
    };
    this.saver.save(this.cursor);
    const next = this.inFlight.oldest();
    this.progress.oldestPendingMs = next?.last ? Date.parse(next.last.ts) : undefined;
  }

  /** Delivers one batch: retried, split on rejection (see {@link deliverBatch}). */
  private deliver(entries: readonly ShipEntry[]): Promise<BatchSettlement> {
    this.progress.state = 'shipping';
    const { retryInitialMs, retryMaxMs } = this.params.options;
    return deliverBatch(
      {
        sender: this.params.sender,
        encoding: this.params.encoding,
        retryInitialMs,
        retryMaxMs,
        stopping: () => this.stopping,
        sleep: (ms) => this.wake.sleep(ms, { ignoreWake: true, until: () => this.stopping }),
        onOutcome: (outcome, records, attempt) => this.progress.requestDone(outcome, records, attempt),
      },
      entries,
    );
  }
}
