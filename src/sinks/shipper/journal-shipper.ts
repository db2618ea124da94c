/**
 * The journal shipper: the journal is the queue of the OTLP log path. It reads the records the
 * journal holds (active file, rotated and gzipped segments) from its saved cursor on, sends them
 * to the collector in batches, and moves the cursor (saved atomically) only after the collector
 * acknowledged a batch. A failed request is retried with exponential back-off, forever: under
 * load or during an outage the shipper lags behind the journal instead of dropping anything, and
 * the lag (records and seconds behind) is reported by {@link JournalShipper.status}.
 *
 * Delivery is at least once: a process stopped between an acknowledgement and the cursor write
 * sends that batch again when it restarts. Each record carries `audit.stream` and `audit.seq`
 * and is sent as the same bytes every time ({@link shippableRecordOf}), so copies are exact
 * duplicates a backend or the verifier recognizes.
 */
import type { InstrumentationScope } from '@opentelemetry/core';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
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
import { shippableRecordOf, type ShippableRecord } from './otlp-record.js';
import { Wakeable } from './wakeable.js';
import { asError, errorCodeText } from '../../events/error-text.js';

/** Diagnostics kinds counted by the shipper. */
export const SHIPPER_FAILURE = {
  /** A request to the collector failed; the batch is retried. */
  export: 'shipper.export',
  /** A journal line is not a signed record (torn by a crash, edited); it is not sent. */
  unreadable: 'shipper.unreadable',
  /** The cursor could not be read or written, or its file is gone. */
  cursor: 'shipper.cursor',
  /** Reading the journal failed; retried. */
  read: 'shipper.read',
} as const;

/** What the shipper is doing. */
export type ShipperState = 'starting' | 'shipping' | 'retrying' | 'caught-up' | 'stopped';

/** How far the collector is behind the journal. */
export interface ShipperLag {
  /** Records in the journal not yet acknowledged by the collector. */
  readonly recordsBehind: number;
  /** Age in seconds of the oldest record not yet acknowledged (0 when caught up). */
  readonly secondsBehind: number;
}

/** The shipper's state, lag and counters. */
export interface ShipperStatus extends ShipperLag {
  readonly state: ShipperState;
  /** Records acknowledged by the collector since this shipper started. */
  readonly recordsShipped: number;
  /** Requests sent / failed since start. */
  readonly requests: number;
  readonly failedRequests: number;
  /** The last record acknowledged (from the cursor at start, then as batches are acknowledged). */
  readonly lastShipped?: ShippedRecord;
  /** Why the last request failed, while retrying. */
  readonly lastError?: string;
}

/** Lines the journal has accepted: written to its files, and still buffered in memory. */
export interface JournalTip {
  readonly linesWritten: number;
  readonly pendingLines: number;
}

/** What the lag is computed from, besides the journal's tip. */
export interface LagParts {
  /** Lines consumed by the shipper minus the calibration base: the tip's line count at which it is caught up. */
  readonly consumedMinusBase: number;
  /** Time of the oldest record of the batch being sent (ms since epoch). */
  readonly oldestPendingMs?: number;
  /** Time of the last acknowledged record (ms since epoch). */
  readonly lastShippedMs?: number;
}

/** Records and seconds behind, from the shipper's {@link LagParts} and the journal's current tip. */
export function lagOf(parts: LagParts, tip: JournalTip | undefined, now: number = Date.now()): ShipperLag {
  const recordsBehind = Math.max(0, (tip ? tip.linesWritten + tip.pendingLines : 0) - parts.consumedMinusBase);
  if (recordsBehind === 0 && parts.oldestPendingMs === undefined) return { recordsBehind, secondsBehind: 0 };
  const since = parts.oldestPendingMs ?? parts.lastShippedMs;
  return { recordsBehind, secondsBehind: since === undefined ? 0 : Math.max(0, (now - since) / 1000) };
}

/** A batch sent and not yet settled, with the cursor that follows it. */
interface InFlightBatch {
  readonly lines: number;
  readonly records: number;
  readonly file: string;
  readonly head: string;
  readonly offset: number;
  readonly last?: ShippedRecord;
  readonly acknowledged: Promise<boolean>;
}

/** What a shipper needs. */
export interface JournalShipperParams {
  readonly layout: JournalLayout;
  readonly exporter: LogRecordExporter;
  /** Resource of the shipped log records. */
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly diagnostics: AuditDiagnostics;
  readonly options: ResolvedShipperOptions;
  /** The journal writer's counters (for the lag in records). */
  readonly tip?: () => JournalTip;
  /** Writes what the journal still buffers (before a drain). */
  readonly flushJournal?: () => Promise<void>;
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
   * Opens the file `pick` chooses from a listing of the journal. The active file can be rotated
   * between the listing and the open (the path then names the new, empty active file, and the
   * segment it became would be skipped), so after opening the active file the journal is listed
   * again and the choice must not have changed; otherwise it is made again.
   */
  private async openStable(
    pick: (files: readonly JournalSegment[]) => Promise<{ segment: JournalSegment; offset: number } | undefined>,
  ): Promise<boolean> {
    for (;;) {
      const choice = await pick(await this.files.list());
      if (!choice) return false;
      const reader = await JournalFileLines.open(choice.segment, choice.offset);
      if (!reader) continue;
      if (choice.segment.kind === 'active') {
        const again = await pick(await this.files.list());
        if (again?.segment.name !== choice.segment.name || again.offset !== choice.offset) {
          await reader.close();
          continue;
        }
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
   * Starts sending the records among `lines` (retried until acknowledged) and queues the cursor
   * that follows them. Waits while {@link ResolvedShipperOptions.maxInFlight} batches are out.
   */
  private async ship(lines: readonly LineAt[]): Promise<void> {
    const reader = this.reader as JournalFileLines;
    const first = lines[0] as LineAt;
    if (this.head === undefined && first.end === Buffer.byteLength(first.text) + 1)
      this.head = lineFingerprint(first.text);
    const records: ShippableRecord[] = [];
    let unreadable = 0;
    for (const line of lines) {
      const record = shippableRecordOf(line.text, this.params.resource, this.params.scope);
      if (record) records.push(record);
      else unreadable++;
    }
    if (unreadable > 0)
      this.params.diagnostics.count(
        SHIPPER_FAILURE.unreadable,
        `${unreadable} line(s) of ${reader.segment.name} are not signed records; not shipped`,
      );
    const lastRecord = records[records.length - 1];
    const oldest = records[0] ? Date.parse(records[0].ts) : NaN;
    if (this.oldestPendingMs === undefined && Number.isFinite(oldest)) this.oldestPendingMs = oldest;
    this.inFlight.push({
      lines: lines.length,
      records: records.length,
      file: reader.segment.name,
      head: this.head ?? (await this.files.headOf(reader.segment)) ?? '',
      offset: (lines[lines.length - 1] as LineAt).end,
      ...(lastRecord ? { last: { stream: lastRecord.stream, seq: lastRecord.seq, ts: lastRecord.ts } } : {}),
      acknowledged: records.length > 0 ? this.sendUntilAcknowledged(records.map((r) => r.log)) : Promise.resolve(true),
    });
    while (this.inFlight.length >= this.params.options.maxInFlight) await this.settleOldest();
  }

  /** Waits for the oldest batch out; when acknowledged, moves and saves the cursor past it. */
  private async settleOldest(): Promise<boolean> {
    const batch = this.inFlight[0];
    if (!batch) return true;
    const ok = await batch.acknowledged;
    if (!ok) {
      // stopping: this batch and the ones after it stay unacknowledged (shipped again later)
      this.inFlight = [];
      return false;
    }
    this.inFlight.shift();
    this.consumed += batch.lines;
    this.shipped += batch.records;
    const last = batch.last ?? this.cursor?.last;
    this.persist({
      v: CURSOR_VERSION,
      file: batch.file,
      head: batch.head,
      offset: batch.offset,
      ...(last ? { last } : {}),
      shippedTotal: (this.cursor?.shippedTotal ?? 0) + batch.records,
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

  /** Retries with back-off until acknowledged; false only when stopping first. */
  private async sendUntilAcknowledged(logs: ReadableLogRecord[]): Promise<boolean> {
    this.state = 'shipping';
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      const result = await this.exportOnce(logs);
      if (result.code === ExportResultCode.SUCCESS) {
        this.lastError = undefined;
        this.state = 'shipping';
        return true;
      }
      this.failed++;
      this.lastError = errorCodeText(result.error ?? 'export failed');
      this.state = 'retrying';
      this.params.diagnostics.count(
        SHIPPER_FAILURE.export,
        `${logs.length} record(s) not acknowledged (attempt ${attempt}), retrying: ${this.lastError}`,
      );
      if (this.stopping) return false;
      const { retryInitialMs, retryMaxMs } = this.params.options;
      await this.wake.sleep(retryInitialMs + backoffDelayMs(attempt, retryInitialMs, retryMaxMs), {
        ignoreWake: true,
        until: () => this.stopping,
      });
      if (this.stopping) return false;
    }
  }

  private exportOnce(logs: ReadableLogRecord[]): Promise<ExportResult> {
    return new Promise((resolve) => {
      try {
        this.params.exporter.export(logs, resolve);
      } catch (err) {
        resolve({ code: ExportResultCode.FAILED, error: asError(err) });
      }
    });
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
