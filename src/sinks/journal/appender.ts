/**
 * The journal's writer: an in-memory buffer of lines, written in batches by one asynchronous
 * append chain, with rotation at the size limit and background segment maintenance (gzip,
 * retention). `append` is synchronous, cheap and never throws; everything that goes wrong is
 * counted in the shared diagnostics.
 *
 * Durability: a line is written (handed to the OS) at most `flushIntervalMs` after `append`
 * returned, or sooner when the buffer reaches `flushAtBytes`. With `fsync: 'batch'` each written
 * batch is also `fdatasync`ed before the next one starts.
 */
import { appendFileSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { isNotFound, type JournalLayout } from './layout.js';
import type { ResolvedJournalOptions } from './options.js';
import { runRetention, type RetentionRecording } from './retention.js';
import { compressSegment, renameActiveToSegment } from './rotation.js';
import type { JournalWriterLock } from './writer-lock.js';

/** Diagnostics kinds counted by the journal writer. */
export const JOURNAL_FAILURE = {
  write: 'journal.write',
  read: 'journal.read',
  overflow: 'journal.overflow',
  lost: 'journal.lost',
  closed: 'journal.closed',
  rotate: 'journal.rotate',
  compress: 'journal.compress',
  retention: 'journal.retention',
  tornLine: 'journal.torn-line',
  unsigned: 'journal.unsigned',
  encode: 'journal.encode',
  lock: 'journal.lock',
  staleLock: 'journal.stale-lock',
} as const;

/** A writing journal also sweeps expired segments this often, rotation or not. */
const RETENTION_CHECK_MS = 3_600_000;

/** Counters of what the appender did since it started. */
export interface AppenderStats {
  readonly linesWritten: number;
  readonly bytesWritten: number;
  readonly batches: number;
  readonly rotations: number;
  readonly pendingLines: number;
  readonly overflowed: number;
}

/**
 * Buffered, batching, rotating appender of journal lines. With a writer lock, it writes only
 * while holding it (taking it before the first write if opening could not) and releases it on
 * close and at process exit.
 */
export class JournalAppender {
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private maintenanceChain: Promise<void> = Promise.resolve();
  private fh: FileHandle | undefined;
  private size = 0;
  private needsNewline = false;
  private closed = false;
  private lastRetentionAt = Date.now();
  /** How retention sweeps get their record written (set once a signer is bound to the journal). */
  retentionRecording: RetentionRecording | undefined;
  private stats = { linesWritten: 0, bytesWritten: 0, batches: 0, rotations: 0, overflowed: 0 };

  constructor(
    private readonly layout: JournalLayout,
    private readonly options: ResolvedJournalOptions,
    private readonly diagnostics: AuditDiagnostics,
    private readonly lock?: JournalWriterLock,
  ) {
    registerForExit(this);
  }

  /** Queues one line (without newline). Never throws, never blocks. */
  append(line: string): void {
    if (this.closed) {
      this.diagnostics.count(JOURNAL_FAILURE.closed, 'record emitted after the journal was shut down');
      return;
    }
    const bytes = line.length + 1;
    if (this.pendingBytes + bytes > this.options.maxBufferBytes) {
      this.stats.overflowed++;
      this.diagnostics.count(JOURNAL_FAILURE.overflow, `journal buffer full (${this.pendingBytes} bytes pending); record not written`);
      return;
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= this.options.flushAtBytes) {
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes every line queued so far. Resolves when they were handed to the OS; never rejects. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writePending());
    return this.chain;
  }

  /** Schedules a maintenance task (gzip, retention) after the ones already queued. */
  maintain(name: keyof typeof JOURNAL_FAILURE, task: () => Promise<unknown>): Promise<void> {
    this.maintenanceChain = this.maintenanceChain.then(task).then(
      () => undefined,
      (err: unknown) => this.diagnostics.count(JOURNAL_FAILURE[name], describe(err)),
    );
    return this.maintenanceChain;
  }

  /** Resolves when every queued maintenance task has finished. */
  idle(): Promise<void> {
    return this.maintenanceChain;
  }

  /**
   * Stops accepting records (later appends are counted as `journal.closed`), writes what is
   * buffered, waits for maintenance and closes the file. Records that still cannot be written
   * (persistent I/O error) are counted as `journal.lost`. Releases the writer lock last.
   */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    unregisterForExit(this);
    await this.flush();
    if (this.pending.length > 0) {
      this.diagnostics.count(JOURNAL_FAILURE.lost, `${this.pending.length} record(s) could not be written before shutdown`);
      this.pending = [];
      this.pendingBytes = 0;
    }
    await this.maintenanceChain;
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close().catch((err: unknown) => this.diagnostics.count(JOURNAL_FAILURE.write, describe(err)));
    this.lock?.release();
  }

  /** What was written so far. */
  statistics(): AppenderStats {
    return { ...this.stats, pendingLines: this.pending.length };
  }

  private async writePending(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let done = 0;
    try {
      await this.ensureOpen();
      let start = 0;
      let chunkBytes = 0;
      for (let i = 0; i < lines.length; i++) {
        const bytes = Buffer.byteLength(lines[i] as string) + 1;
        const full = this.size + chunkBytes + bytes > this.options.maxFileBytes;
        if (this.options.enableRotation && full && this.size + chunkBytes > 0) {
          if (i > start) await this.writeChunk(lines, start, i);
          done = i;
          await this.rotate();
          start = i;
          chunkBytes = 0;
        }
        chunkBytes += bytes;
      }
      await this.writeChunk(lines, start, lines.length);
      done = lines.length;
      if (Date.now() - this.lastRetentionAt > RETENTION_CHECK_MS) this.scheduleRetention();
    } catch (err) {
      // Keep what was not written, in order, ahead of newer lines; retry at the next interval.
      const rest = lines.slice(done);
      this.pending = rest.concat(this.pending);
      this.pendingBytes = this.pending.reduce((n, l) => n + l.length + 1, 0);
      this.diagnostics.count(JOURNAL_FAILURE.write, `${describe(err)} (${rest.length} records kept for retry)`);
      const fh = this.fh;
      this.fh = undefined;
      await fh?.close().catch(() => undefined);
      if (!this.closed && this.timer === undefined) {
        this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs);
        this.timer.unref();
      }
    }
  }

  private async writeChunk(lines: readonly string[], from: number, to: number): Promise<void> {
    if (to <= from) return;
    const fh = this.fh as FileHandle;
    const text = (this.needsNewline ? '\n' : '') + lines.slice(from, to).join('\n') + '\n';
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await fh.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
    this.needsNewline = false;
    this.size += buf.length;
    if (this.options.fsync === 'batch') await fh.datasync();
    this.stats.linesWritten += to - from;
    this.stats.bytesWritten += buf.length;
    this.stats.batches++;
  }

  /** Opens the active file for appending; notes when it ends in an unterminated (torn) line. */
  private async ensureOpen(): Promise<void> {
    if (this.fh) return;
    await mkdir(this.layout.dir, { recursive: true });
    this.lock?.acquire(); // no-op when held; throws JournalLockedError when another writer has it
    const fh = await open(this.layout.activePath, 'a+');
    try {
      const { size } = await fh.stat();
      this.size = size;
      this.needsNewline = false;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        this.needsNewline = last[0] !== 0x0a;
      }
    } catch (err) {
      await fh.close();
      throw err;
    }
    this.fh = fh;
  }

  private async rotate(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
    let segment: string | undefined;
    try {
      segment = await renameActiveToSegment(this.layout, new Date());
      this.stats.rotations++;
      if (this.options.fsync === 'batch') await syncDirectory(this.layout.dir);
    } catch (err) {
      if (!isNotFound(err)) {
        this.diagnostics.count(JOURNAL_FAILURE.rotate, describe(err));
      }
    }
    await this.ensureOpen();
    if (segment !== undefined && this.options.compress) {
      const plain = segment;
      void this.maintain('compress', () => compressSegment(plain));
    }
    this.scheduleRetention();
  }

  /** Queues a retention sweep (after each rotation, and hourly while writing). */
  private scheduleRetention(): void {
    this.lastRetentionAt = Date.now();
    void this.maintain('retention', () => runRetention(this.layout, this.options.retentionDays, this.retentionRecording, this.diagnostics));
  }

  /** Last resort at process exit without shutdown: write what is still buffered, synchronously, then release the lock. */
  atExit(): void {
    this.writeRemainingSync();
    this.lock?.release();
  }

  private writeRemainingSync(): void {
    if (this.pending.length === 0) return;
    try {
      this.lock?.acquire();
      const prefix = this.needsNewline ? '\n' : '';
      appendFileSync(this.layout.activePath, prefix + this.pending.join('\n') + '\n');
      this.pending = [];
      this.pendingBytes = 0;
    } catch (err) {
      this.diagnostics.count(JOURNAL_FAILURE.write, `at exit: ${describe(err)}`);
    }
  }
}

/** fsyncs a directory so a rename in it survives a power loss (best effort: not every platform allows it). */
async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    await fh.close();
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

/** A short, PII-free description of an error. */
export function describe(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ? `${(err as NodeJS.ErrnoException).code}: ${err.message}` : err.message;
  return String(err);
}

