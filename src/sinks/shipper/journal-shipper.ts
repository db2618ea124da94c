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
import type { JournalLayout, JournalSegment } from '../journal/layout.js';
import { backoffDelayMs } from '../webhooks/backoff.js';
import {
  CURSOR_VERSION,
  cursorPathOf,
  lineFingerprint,
  loadCursor,
  saveCursor,
  type ShipCursor,
  type ShippedRecord,
} from './cursor.js';
import { JournalFileLines, type LineAt } from './file-lines.js';
import { JournalFiles } from './journal-files.js';
import { countLinesAfter } from './backlog.js';
import type { ResolvedShipperOptions } from './options.js';
import type { OtlpLogEncoding, ShipEntry } from './otlp-encoding.js';
import type { LogBatchSender, SendOutcome } from './otlp-sender.js';
import { deliverBatch, type BatchSettlement } from './batch-delivery.js';
import { accountRejections } from './rejections.js';
import { Wakeable } from './wakeable.js';
import {
  lagOf,
  SHIPPER_FAILURE,
  type JournalTip,
  type LagParts,
  type LossDeclaration,
  type ShipperLag,
  type ShipperState,
  type ShipperStatus,
} from './shipper-status.js';

import { errorCodeText } from '../../events/error-text.js';
import type { RecordLoss } from '../../record/loss-record.js';

/** A batch sent and not yet settled, with the cursor that follows it. */
interface InFlightBatch {
  readonly lines: number;
  readonly records: number;
  readonly file: string;
  readonly head: string;
  readonly offset: number;
  readonly last?: ShippedRecord;
  readonly acknowledged: Promise<BatchSettlement>;
}

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
  private readonly files: JournalFiles;
  private readonly wake = new Wakeable();
  private reader: JournalFileLines | undefined;
  private head: string | undefined;
  private rotated = false;
  private state: ShipperState = 'starting';
  private stopping = false;
  private loop: Promise<void> | undefined;
  private cursor: ShipCursor | undefined;
  private consumed = 0;
  private base = 0;
  private shipped = 0;
  private requests = 0;
  private failed = 0;
  private rejectedRecords = 0;
  private lastError: string | undefined;
  private oldestPendingMs: number | undefined;
  private epoch = 0;
  private drainWaiters: { epoch: number; resolve: () => void }[] = [];
  private inFlight: InFlightBatch[] = [];
  private unsaved: ShipCursor | undefined;
  private cursorWrites: Promise<void> | undefined;

  constructor(private readonly params: JournalShipperParams) {
    this.cursorPath = cursorPathOf(params.layout.activePath);
    this.files = new JournalFiles(params.layout);
  }

  /** Starts shipping in the background (idempotent). */
  start(): void {
    this.loop ??= this.run();
  }

  /** State, lag and counters. */
  status(): ShipperStatus {
    return {
      state: this.state,
      ...this.lag(),
      recordsShipped: this.shipped,
      requests: this.requests,
      failedRequests: this.failed,
      recordsRejected: this.rejectedRecords,
      ...(this.cursor?.last ? { lastShipped: this.cursor.last } : {}),
      ...(this.state === 'retrying' && this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
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
    await this.settleAll();
    await this.cursorWrites;
    this.params.sender.close();
    await this.reader?.close();
    this.reader = undefined;
    this.state = 'stopped';
  }

  /** The parts of the lag that do not depend on the journal's tip (see {@link lagOf}). */
  lagParts(): LagParts {
    const lastMs = this.cursor?.last ? Date.parse(this.cursor.last.ts) : undefined;
    return {
      consumedMinusBase: this.consumed - this.base,
      ...(this.oldestPendingMs !== undefined ? { oldestPendingMs: this.oldestPendingMs } : {}),
      ...(lastMs !== undefined && Number.isFinite(lastMs) ? { lastShippedMs: lastMs } : {}),
    };
  }

  private lag(): ShipperLag {
    return lagOf(this.lagParts(), this.params.tip?.());
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
    if (this.state === 'counting') this.state = 'shipping';
    let failures = 0;
    while (!this.stopping) {
      try {
        const progressed = await this.step();
        failures = 0;
        if (!progressed) await this.wake.sleep(this.params.options.pollIntervalMs);
      } catch (err) {
        failures++;
        this.params.diagnostics.count(SHIPPER_FAILURE.read, errorCodeText(err));
        await this.reader?.close();
        this.reader = undefined;
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
    this.state = 'counting';
    const cursor = await loadCursor(this.cursorPath);
    this.cursor = cursor;
    let lost = false;
    let start: { segment: JournalSegment; offset: number; files: readonly JournalSegment[]; index: number } | undefined;
    await this.openStable(async (files) => {
      start = undefined;
      const found = cursor ? await this.files.indexOf(files, cursor.head, cursor.file) : -1;
      lost = cursor !== undefined && found < 0 && files.length > 0;
      const index = Math.max(0, found);
      const segment = files[index];
      if (!segment) return undefined;
      start = { segment, offset: found >= 0 && cursor ? cursor.offset : 0, files, index };
      return start;
    });
    if (lost && cursor) {
      this.params.diagnostics.count(
        SHIPPER_FAILURE.cursor,
        `the file of the saved cursor (${cursor.file}) is no longer in the journal; shipping from its oldest file`,
      );
    }
    if (!start) return;
    const { files, index, offset } = start as { files: readonly JournalSegment[]; index: number; offset: number };
    if (cursor && !lost) this.head = cursor.head;
    // The count reads to the end of the files as they are when it gets there; the tip is taken
    // right after, so lines written during the count are counted once (both are re-aligned at
    // every catch-up).
    const backlog = await countLinesAfter(files.slice(index), offset);
    this.base = backlog - (this.params.tip?.().linesWritten ?? 0);
  }

  /** One read-and-ship round. Resolves false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const seen = ++this.epoch;
    if (!this.reader) return this.openFirst();
    const lines = await this.reader.readLines(this.params.options.maxBatchRecords);
    if (lines.length > 0) {
      await this.ship(lines);
      return true;
    }
    await this.settleAll();
    const state = await this.fileState();
    if (state === 'done') return this.advance();
    if (state === 'reread') return true;
    this.state = this.lastError !== undefined && this.state === 'retrying' ? 'retrying' : 'caught-up';
    this.oldestPendingMs = undefined;
    const tip = this.params.tip?.();
    if (tip && this.reader.segment.kind === 'active' && this.reader.pendingBytes === 0)
      this.base = this.consumed - tip.linesWritten;
    for (const w of this.drainWaiters.splice(0)) {
      if (w.epoch < seen) w.resolve();
      else this.drainWaiters.push(w);
    }
    return false;
  }

  /** Opens the oldest file when the journal had none at start. */
  private async openFirst(): Promise<boolean> {
    this.head = undefined;
    return this.openStable(async (files) => (files[0] ? { segment: files[0], offset: 0 } : undefined));
  }

  /**
   * Opens the file `pick` chooses from a listing of the journal, and lists the journal again: the
   * choice must be the same file (a segment may have been gzipped meanwhile), or it is made again.
   * A listing can be stale by the time the file is open: the active file can be rotated between
   * the listing and the open (the path then names the new, empty active file). A later listing
   * shows it, so a file is opened only when the listings before and after the open agree.
   */
  private async openStable(
    pick: (files: readonly JournalSegment[]) => Promise<{ segment: JournalSegment; offset: number } | undefined>,
  ): Promise<boolean> {
    for (;;) {
      const choice = await pick(await this.files.list());
      if (!choice) return false;
      const reader = await JournalFileLines.open(choice.segment, choice.offset);
      if (!reader) continue;
      const again = await pick(await this.files.list());
      if (
        again === undefined ||
        stripGz(again.segment.name) !== stripGz(choice.segment.name) ||
        again.offset !== choice.offset
      ) {
        await reader.close();
        continue;
      }
      this.reader = reader;
      return true;
    }
  }

  /**
   * Whether the current file will get more lines: `done` (it is complete: move on), `reread`
   * (the active file was just rotated away: read it once more for lines written before the
   * rename) or `open` (the active file, still being written).
   */
  private async fileState(): Promise<'done' | 'reread' | 'open'> {
    const reader = this.reader as JournalFileLines;
    if (reader.finished || reader.segment.kind === 'rotated') return 'done';
    if (reader.segment.kind !== 'active') return 'open';
    if (this.rotated) return 'done';
    const handle = reader.plainHandle;
    if (!handle) return 'open';
    const { ino } = await handle.stat();
    if (!(await this.files.rotatedAway(ino))) return 'open';
    this.rotated = true;
    return 'reread';
  }

  /** Moves on to the file after the current one. */
  private async advance(): Promise<boolean> {
    const reader = this.reader as JournalFileLines;
    if (reader.pendingBytes > 0) {
      this.params.diagnostics.count(
        SHIPPER_FAILURE.unreadable,
        `${reader.segment.name}: unterminated last line (${reader.pendingBytes} bytes, torn by a crash) not shipped`,
      );
    }
    const head = this.head;
    const from = reader.segment;
    await reader.close();
    this.reader = undefined;
    this.head = undefined;
    this.rotated = false;
    let vanished = false;
    const opened = await this.openStable(async (files) => {
      this.files.prune(files);
      let index = head === undefined ? -1 : await this.files.indexOf(files, head, from.name);
      if (index < 0) {
        vanished = true;
        index = files.findIndex((f) => f.kind !== 'active' && f.time.getTime() > from.time.getTime()) - 1;
        if (index < -1) index = files.length - 2;
      }
      const next = files[index + 1];
      return next ? { segment: next, offset: 0 } : undefined;
    });
    if (vanished)
      this.params.diagnostics.count(
        SHIPPER_FAILURE.cursor,
        `${from.name} vanished while being shipped; continued with the next file by time`,
      );
    return opened;
  }

  /**
   * Starts sending the records among `lines` (settled when the collector accepted or rejected
   * each of them) and queues the cursor that follows them. Waits while
   * {@link ResolvedShipperOptions.maxInFlight} batches are out.
   */
  private async ship(lines: readonly LineAt[]): Promise<void> {
    const reader = this.reader as JournalFileLines;
    const first = lines[0] as LineAt;
    if (this.head === undefined && first.end === Buffer.byteLength(first.text) + 1)
      this.head = lineFingerprint(first.text);
    const entries: ShipEntry[] = [];
    for (const line of lines) if (line.text.length > 0) entries.push(this.params.encoding.entryOf(line.text));
    let lastRecord: ShipEntry | undefined;
    let oldest = NaN;
    for (const e of entries) {
      if (e.stream === undefined || e.seq === undefined || e.ts === undefined) continue;
      lastRecord = e;
      if (Number.isNaN(oldest)) oldest = Date.parse(e.ts);
    }
    if (this.oldestPendingMs === undefined && Number.isFinite(oldest)) this.oldestPendingMs = oldest;
    this.inFlight.push({
      lines: lines.length,
      records: entries.length,
      file: reader.segment.name,
      head: this.head ?? (await this.files.headOf(reader.segment)) ?? '',
      offset: (lines[lines.length - 1] as LineAt).end,
      ...(lastRecord
        ? { last: { stream: lastRecord.stream as string, seq: lastRecord.seq as number, ts: lastRecord.ts as string } }
        : {}),
      acknowledged:
        entries.length > 0
          ? this.deliver(entries)
          : Promise.resolve({ settled: true, rejected: [], partiallyRejected: 0, partialMessages: [] }),
    });
    while (this.inFlight.length >= this.params.options.maxInFlight) await this.settleOldest();
  }

  /** Waits for the oldest batch out; when settled, moves and saves the cursor past it. */
  private async settleOldest(): Promise<boolean> {
    const batch = this.inFlight[0];
    if (!batch) return true;
    const settlement = await batch.acknowledged;
    if (!settlement.settled) {
      // stopping: this batch and the ones after it stay unacknowledged (shipped again later)
      this.inFlight = [];
      return false;
    }
    const accounted = await accountRejections(
      {
        diagnostics: this.params.diagnostics,
        ...(this.params.declareLoss ? { declareLoss: this.params.declareLoss } : {}),
        stopping: () => this.stopping,
        sleep: (ms) => this.wake.sleep(ms, { ignoreWake: true, until: () => this.stopping }),
        retryMs: this.params.options.retryMaxMs,
      },
      settlement,
    );
    if (!accounted) {
      // stopping before the rejected records were declared: the batch is shipped (and rejected, and declared) again later
      this.inFlight = [];
      return false;
    }
    this.rejectedRecords += settlement.rejected.length + settlement.partiallyRejected;
    this.inFlight.shift();
    this.consumed += batch.lines;
    const rejected = settlement.rejected.length + settlement.partiallyRejected;
    this.shipped += batch.records - rejected;
    const last = batch.last ?? this.cursor?.last;
    this.persist({
      v: CURSOR_VERSION,
      file: batch.file,
      head: batch.head,
      offset: batch.offset,
      ...(last ? { last } : {}),
      shippedTotal: (this.cursor?.shippedTotal ?? 0) + batch.records - rejected,
      savedAt: new Date().toISOString(),
    });
    const next = this.inFlight[0];
    this.oldestPendingMs = next?.last ? Date.parse(next.last.ts) : undefined;
    return true;
  }

  /** Waits for every batch out. */
  private async settleAll(): Promise<void> {
    while (this.inFlight.length > 0) if (!(await this.settleOldest())) return;
  }

  /** Delivers one batch: retried, split on rejection (see {@link deliverBatch}). */
  private deliver(entries: readonly ShipEntry[]): Promise<BatchSettlement> {
    this.state = 'shipping';
    const { retryInitialMs, retryMaxMs } = this.params.options;
    return deliverBatch(
      {
        sender: this.params.sender,
        encoding: this.params.encoding,
        retryInitialMs,
        retryMaxMs,
        stopping: () => this.stopping,
        sleep: (ms) => this.wake.sleep(ms, { ignoreWake: true, until: () => this.stopping }),
        onOutcome: (outcome, records, attempt) => this.onOutcome(outcome, records, attempt),
      },
      entries,
    );
  }

  private onOutcome(outcome: SendOutcome, records: number, attempt: number): void {
    this.requests++;
    if (outcome.kind === 'accepted' || outcome.kind === 'rejected') {
      this.lastError = undefined;
      this.state = 'shipping';
      return;
    }
    this.failed++;
    this.lastError = outcome.error;
    this.state = 'retrying';
    this.params.diagnostics.count(
      SHIPPER_FAILURE.export,
      outcome.kind === 'refused'
        ? `${records} record(s) refused (${outcome.error}; attempt ${attempt}): not about the records, kept in the journal and retried every ${this.params.options.retryMaxMs} ms — check the endpoint and its credentials`
        : `${records} record(s) not acknowledged (attempt ${attempt}), retrying: ${outcome.error}`,
    );
  }

  /**
   * Records `cursor` as the position and writes it in the background: one write at a time, the
   * newest cursor wins (a write waiting behind a slow fsync is replaced, not queued).
   */
  private persist(cursor: ShipCursor): void {
    this.cursor = cursor;
    this.unsaved = cursor;
    this.cursorWrites ??= this.writeCursors().finally(() => {
      this.cursorWrites = undefined;
    });
  }

  private async writeCursors(): Promise<void> {
    while (this.unsaved) {
      const cursor = this.unsaved;
      this.unsaved = undefined;
      try {
        await saveCursor(this.cursorPath, cursor);
      } catch (err) {
        this.params.diagnostics.count(
          SHIPPER_FAILURE.cursor,
          `cannot save ${this.cursorPath}: ${errorCodeText(err)} (records after the last saved cursor may be sent again)`,
        );
      }
    }
  }
}

/** A segment's name without `.gz` (the same segment before and after compression). */
function stripGz(name: string): string {
  return name.endsWith('.gz') ? name.slice(0, -3) : name;
}
