/**
 * The journal's writer: an in-memory buffer of lines, written synchronously in batches, with
 * rotation at the size limit; the rotated segments are maintained in the background
 * ({@link SegmentMaintenance}: gzip, retention). `append` is
 * cheap, never throws and never waits for the event loop; everything that goes wrong is counted in
 * the shared diagnostics.
 *
 * Durability: a line is written (handed to the OS) at most `flushIntervalMs` after `append`
 * returned — by the timer, or by a later `append` when the process does not yield — and at once
 * when the buffer reaches `flushAtBytes`. With `fsync: 'batch'` each written batch is also
 * `fdatasync`ed before `append`/the timer returns.
 *
 * Failures: a batch the OS takes only part of (disk full, I/O error) is resumed at the byte where
 * it stopped; attempts back off (doubling from `flushIntervalMs` up to {@link MAX_RETRY_DELAY_MS});
 * records that do not fit in `maxBufferBytes` meanwhile are counted and, once writing works again,
 * declared in one signed loss record per stream (via the bound {@link LossRecorder}).
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import type { LossRecorder } from '../../record/loss-record.js';
import { ActiveFile, JournalWriteError, type WriteOutcome } from './active-file.js';
import { JOURNAL_FAILURE } from './journal-failures.js';
import { isNotFound, type JournalLayout } from './layout.js';
import { LossLedger, type RecordPosition } from './loss-ledger.js';
import type { ResolvedJournalOptions } from './options.js';
import { SegmentMaintenance } from './segment-maintenance.js';
import type { JournalWriterLock } from './writer-lock.js';
import { errorCodeText } from '../../events/error-text.js';

/** Longest wait between two attempts to write after failures. */
export const MAX_RETRY_DELAY_MS = 5_000;

/** Counters of what the appender did since it started. */
export interface AppenderStats {
  readonly linesWritten: number;
  readonly bytesWritten: number;
  readonly batches: number;
  readonly rotations: number;
  readonly pendingLines: number;
  readonly overflowed: number;
  /** Write attempts that failed. */
  readonly failedWrites: number;
  /** Signed loss records requested (one per stream and episode). */
  readonly lossRecords: number;
}

/** How a line is handled when the buffer is full. */
export interface LineInfo extends RecordPosition {
  /** Seals and loss records are buffered even beyond `maxBufferBytes` (they are few and small). */
  readonly essential: boolean;
}

/**
 * Buffered, batching, rotating appender of journal lines. With a writer lock, it writes only
 * while holding it (taking it before the first write if opening could not) and releases it on
 * close and at process exit.
 */
export class JournalAppender {
  private pending: string[] = [];
  private pendingBytes = 0;
  private oldestPendingAt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Compression and retention of the journal's segments, in the background. */
  readonly maintenance: SegmentMaintenance;
  private readonly file: ActiveFile;
  private readonly ledger = new LossLedger();
  private recorder: LossRecorder | undefined;
  private closed = false;
  private writing = false;
  private retryDelay = 0;
  private retryAt = 0;
  /**
   * Called before a batch holding lines is written (a signer in public-key mode seals them);
   * `safe`: no record is being delivered now, a seal may be emitted at once.
   */
  batchSealer: ((safe: boolean) => void) | undefined;
  private sealingBatch = false;
  private stats = {
    linesWritten: 0,
    bytesWritten: 0,
    batches: 0,
    rotations: 0,
    overflowed: 0,
    failedWrites: 0,
    lossRecords: 0,
  };

  constructor(
    layout: JournalLayout,
    private readonly options: ResolvedJournalOptions,
    private readonly diagnostics: AuditDiagnostics,
    private readonly lock?: JournalWriterLock,
  ) {
    this.file = new ActiveFile(layout, options, lock);
    this.maintenance = new SegmentMaintenance(layout, options, diagnostics);
    registerForExit(this);
  }

  /** Where lost records are declared as a signed loss record (the signing processor). */
  bindLossRecorder(recorder: LossRecorder): void {
    this.recorder = recorder;
  }

  /** Queues one line (without newline); writes synchronously when a bound is reached. Never throws. */
  append(line: string, info?: LineInfo): void {
    if (this.closed) {
      this.diagnostics.count(JOURNAL_FAILURE.closed, 'record emitted after the journal was shut down');
      return;
    }
    const bytes = line.length + 1;
    const now = Date.now();
    if (!info?.essential && this.pendingBytes + this.file.carriedBytes + bytes > this.options.maxBufferBytes) {
      // make room; a loss record is declared only after this line is queued, so it follows it in seq order
      if (!this.backingOff(now)) this.writeNow(false, false);
      if (this.pendingBytes + this.file.carriedBytes + bytes > this.options.maxBufferBytes) {
        this.lose(info, 'overflow', `journal buffer full (${this.pendingBytes} bytes pending); record not written`);
        return;
      }
      this.pending.push(line);
      this.pendingBytes += bytes;
      if (this.pending.length === 1) this.oldestPendingAt = now;
      if (this.retryDelay === 0) this.declareLoss();
      this.schedule(now);
      return;
    }
    if (this.pending.length === 0) this.oldestPendingAt = now;
    this.pending.push(line);
    this.pendingBytes += bytes;
    const due =
      this.pendingBytes >= Math.min(this.options.flushAtBytes, this.options.maxBufferBytes) ||
      now - this.oldestPendingAt >= this.options.flushIntervalMs;
    if (due && !this.writing && !this.sealingBatch && !this.backingOff(now)) this.writeNow(false);
    else this.schedule(now);
  }

  /** A record that could not be turned into a line: counted, and declared in the next loss record. */
  lose(info: RecordPosition | undefined, reason: 'overflow' | 'encode', detail: string): void {
    if (reason === 'overflow') this.stats.overflowed++;
    this.diagnostics.count(reason === 'overflow' ? JOURNAL_FAILURE.overflow : JOURNAL_FAILURE.encode, detail);
    if (info && info.stream !== '' && info.seq > 0) this.ledger.note(info, reason);
  }

  /** Writes every line queued so far (ignoring the retry back-off). Never rejects. */
  flush(): Promise<void> {
    this.writeNow(true, true, true);
    return Promise.resolve();
  }

  /**
   * Writes what is queued and, when that works, declares pending loss now: called right before the
   * shutdown seal so that the loss record is signed ahead of it.
   */
  settleLoss(): void {
    if (!this.ledger.empty) this.writeNow(true);
  }

  /**
   * Stops accepting records (later appends are counted as `journal.closed`), writes what is
   * buffered, waits for maintenance and closes the file. Records that still cannot be written
   * (persistent I/O error) are counted as `journal.lost`, one per record. Releases the writer lock last.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    unregisterForExit(this);
    this.writeNow(true);
    this.clearTimer();
    const unwritten = this.pending.length + (this.file.carriedBytes > 0 ? 1 : 0);
    if (unwritten > 0 || !this.ledger.empty) {
      const undeclared = this.ledger.records;
      const detail = `${unwritten} record(s) could not be written before shutdown${undeclared > 0 ? `; ${undeclared} earlier lost record(s) could not be declared` : ''}`;
      // one count per record not written, like every other loss (at least one for undeclared earlier losses)
      this.diagnostics.count(JOURNAL_FAILURE.lost, detail, Math.max(1, unwritten));
      this.pending = [];
      this.pendingBytes = 0;
      this.ledger.take();
    }
    await this.maintenance.idle();
    try {
      this.file.close();
    } catch (err) {
      this.diagnostics.count(JOURNAL_FAILURE.write, errorCodeText(err));
    }
    this.lock?.release();
  }

  /** What was written so far. */
  statistics(): AppenderStats {
    return { ...this.stats, pendingLines: this.pending.length };
  }

  /** Last resort at process exit without shutdown: write what is still buffered, synchronously, then release the lock. */
  atExit(): void {
    this.writeNow(true, true, true);
    if (this.pending.length > 0) this.writeNow(true); // a loss record declared by the first write
    this.lock?.release();
  }

  private backingOff(now: number): boolean {
    return this.retryDelay > 0 && now < this.retryAt;
  }

  /** Writes the buffer synchronously; on failure keeps it (in order) and backs off. */
  private writeNow(force: boolean, declare = true, safe = false): void {
    if (this.writing || this.sealingBatch) return;
    const now = Date.now();
    if (!force && this.backingOff(now)) return;
    if (this.batchSealer && this.pending.length > 0) {
      this.sealingBatch = true;
      try {
        this.batchSealer(safe);
      } finally {
        this.sealingBatch = false;
      }
    }
    this.clearTimer();
    if (this.pending.length === 0 && this.file.carriedBytes === 0) {
      if (this.retryDelay === 0 && declare) this.declareLoss();
      return;
    }
    this.writing = true;
    const lines = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let ok = false;
    try {
      this.file.write(
        lines,
        (o) => this.progress(o),
        (err) => {
          if (!isNotFound(err)) this.diagnostics.count(JOURNAL_FAILURE.rotate, errorCodeText(err));
        },
      );
      ok = true;
    } catch (err) {
      const rest = err instanceof JournalWriteError ? err.unstarted : lines;
      const cause = err instanceof JournalWriteError ? err.cause : err;
      this.pending = rest.concat(this.pending);
      this.pendingBytes = this.pending.reduce((n, l) => n + l.length + 1, 0);
      this.oldestPendingAt = now;
      this.stats.failedWrites++;
      this.retryDelay =
        this.retryDelay === 0 ? this.options.flushIntervalMs : Math.min(this.retryDelay * 2, MAX_RETRY_DELAY_MS);
      this.retryAt = now + this.retryDelay;
      this.diagnostics.count(
        JOURNAL_FAILURE.write,
        `${errorCodeText(cause)} (${this.pending.length} record(s) and ${this.file.carriedBytes} byte(s) kept; next attempt in ${this.retryDelay} ms)`,
      );
    } finally {
      this.writing = false;
    }
    if (ok) {
      this.retryDelay = 0;
      if (declare) this.declareLoss();
      this.maintenance.written();
    }
    if (this.pending.length > 0 || this.file.carriedBytes > 0) this.schedule(Date.now());
  }

  private progress(o: WriteOutcome): void {
    this.stats.linesWritten += o.linesWritten;
    this.stats.bytesWritten += o.bytesWritten;
    if (o.bytesWritten > 0) this.stats.batches++;
    if (o.rotated.length === 0) return;
    this.stats.rotations += o.rotated.length;
    this.maintenance.rotated(o.rotated);
  }

  /** Asks the recorder for one signed loss record per stream with lost records. */
  private declareLoss(): void {
    if (this.ledger.empty || this.closed) return;
    const losses = this.ledger.take();
    for (const loss of losses) {
      const what = `${loss.count} record(s) of stream ${loss.stream} (seq ${loss.from}-${loss.to}, ${loss.reason})`;
      if (!this.recorder) {
        this.diagnostics.count(JOURNAL_FAILURE.loss, `${what} lost; no signer bound to declare it in a loss record`);
        continue;
      }
      this.stats.lossRecords++;
      if (!this.recorder.recordLoss(loss))
        this.diagnostics.count(JOURNAL_FAILURE.loss, `${what} lost; the loss record could not be signed`);
    }
  }

  private schedule(now: number): void {
    if (this.timer !== undefined || this.closed) return;
    const due = this.backingOff(now)
      ? this.retryAt - now
      : Math.max(0, this.oldestPendingAt + this.options.flushIntervalMs - now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writeNow(false, true, true);
    }, due);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Open appenders; one process `exit` listener writes what they still buffer. */
const openAppenders = new Set<JournalAppender>();
const onExit = (): void => {
  for (const appender of openAppenders) appender.atExit();
};

function registerForExit(appender: JournalAppender): void {
  if (openAppenders.size === 0) process.on('exit', onExit);
  openAppenders.add(appender);
}

function unregisterForExit(appender: JournalAppender): void {
  openAppenders.delete(appender);
  if (openAppenders.size === 0) process.off('exit', onExit);
}
