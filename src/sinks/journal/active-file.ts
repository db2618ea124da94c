/**
 * The journal's active file, written synchronously. A batch of lines becomes one byte buffer; if
 * the OS accepts only part of it (disk full, I/O error), the rest is kept as it is and the next
 * attempt continues at exactly the byte where the previous one stopped, so a line is never written
 * twice and never split by another write. Rotation renames the file to a segment and opens a new one.
 */
import { closeSync, fdatasyncSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import type { JournalLayout } from './layout.js';
import type { ResolvedJournalOptions } from './options.js';
import { renameActiveToSegmentSync } from './rotation.js';
import type { JournalWriterLock } from './writer-lock.js';
import { errorText } from '../../events/error-text.js';

/** What one call to {@link ActiveFile.write} achieved. */
export interface WriteOutcome {
  /** Lines now completely in the file (those of a resumed batch included). */
  readonly linesWritten: number;
  /** Bytes handed to the OS. */
  readonly bytesWritten: number;
  /** Segments rotated away during the call (paths of the plain segments). */
  readonly rotated: readonly string[];
}

/** The part of a batch the OS has not accepted yet. */
interface Carry {
  readonly bytes: Buffer;
  offset: number;
  /** Lines of the batch; the last `lines - done` are not complete in the file yet. */
  readonly lineEnds: readonly number[];
}

/** Synchronous writer of the active file with rotation; every method throws on I/O errors. */
export class ActiveFile {
  private fd: number | undefined;
  private size = 0;
  private needsNewline = false;
  private carry: Carry | undefined;
  /**
   * Where batches are encoded, reused from one batch to the next. An unwritten rest (`carry`) may
   * point into it: that is safe because `write` drains the carry before it encodes anything new.
   */
  private scratch: Buffer = Buffer.allocUnsafe(INITIAL_SCRATCH);

  constructor(
    private readonly layout: JournalLayout,
    private readonly options: ResolvedJournalOptions,
    private readonly lock?: JournalWriterLock,
  ) {}

  /** Bytes of a batch still waiting to be written (a write stopped part-way). */
  get carriedBytes(): number {
    return this.carry ? this.carry.bytes.length - this.carry.offset : 0;
  }

  /**
   * Writes `lines` (each without newline) after whatever an earlier call left unwritten, rotating
   * at the size limit. On an I/O error the unwritten rest of the current file's part is kept (see
   * {@link carriedBytes}) and the lines not started yet are returned in the error's `unstarted`.
   */
  write(
    lines: readonly string[],
    onProgress: (outcome: WriteOutcome) => void,
    onRotateError: (err: unknown) => void,
  ): void {
    const rotated: string[] = [];
    let mayRotate = this.options.enableRotation;
    let linesWritten = 0;
    let bytesWritten = 0;
    const report = (): void => onProgress({ linesWritten, bytesWritten, rotated });
    let next = 0;
    try {
      if (this.carry) {
        const r = this.drain();
        linesWritten += r.lines;
        bytesWritten += r.bytes;
      }
      this.ensureOpen();
      while (next < lines.length) {
        const batch = this.encode(lines, next, mayRotate);
        if (batch.end === next) {
          try {
            rotated.push(this.rotate());
          } catch (err) {
            // keep writing to the same file rather than not at all; rotation is tried again next call
            onRotateError(err);
            mayRotate = false;
            this.ensureOpen();
          }
          continue;
        }
        this.carry = { bytes: batch.bytes, offset: 0, lineEnds: batch.lineEnds };
        this.needsNewline = false;
        next = batch.end;
        const r = this.drain();
        linesWritten += r.lines;
        bytesWritten += r.bytes;
      }
    } catch (err) {
      report();
      throw new JournalWriteError(err, lines.slice(next));
    }
    this.shrinkScratch();
    report();
  }

  /** Writes whatever a failed call left, synchronously (at process exit); throws on I/O errors. */
  finish(): void {
    if (this.carry) this.drain();
  }

  /** Closes the file (keeps any unwritten rest: it is lost with the process). */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  /** Writes the carried bytes from where the last attempt stopped. */
  private drain(): { lines: number; bytes: number } {
    const carry = this.carry as Carry;
    this.ensureOpen();
    const fd = this.fd as number;
    const startOffset = carry.offset;
    try {
      while (carry.offset < carry.bytes.length) {
        const n = writeSync(fd, carry.bytes, carry.offset, carry.bytes.length - carry.offset);
        carry.offset += n;
        this.size += n;
      }
    } finally {
      if (carry.offset === carry.bytes.length) this.carry = undefined;
    }
    if (this.options.fsync === 'batch') fdatasyncSync(fd);
    const lines = carry.lineEnds.filter((e) => e > startOffset && e <= carry.offset).length;
    return { lines, bytes: carry.offset - startOffset };
  }

  /**
   * Encodes lines from `from` on, each followed by a newline (after one newline first when the file
   * ends in a torn line), into the scratch buffer, as many as fit before the rotation size when
   * `mayRotate`. Each line is encoded once: its byte length is what the encoder wrote, so no line
   * is measured, joined or copied apart from that. `end === from` when the next line must go to a
   * new file.
   */
  private encode(lines: readonly string[], from: number, mayRotate: boolean): EncodedBatch {
    let used = 0;
    if (this.needsNewline) {
      this.reserve(0, 1);
      this.scratch[used++] = 0x0a;
    }
    const lineEnds: number[] = [];
    const start = used;
    let end = from;
    for (; end < lines.length; end++) {
      const line = lines[end] as string;
      this.reserve(used, line.length * 3 + 1);
      const n = this.scratch.write(line, used, 'utf8');
      const bytes = n + 1;
      if (mayRotate) {
        const chunk = used - start;
        if (end > from && this.size + chunk + bytes > this.options.maxFileBytes) break;
        if (end === from && this.size > 0 && this.size + bytes > this.options.maxFileBytes) break;
      }
      this.scratch[used + n] = 0x0a;
      used += bytes;
      lineEnds.push(used);
    }
    return { bytes: end === from ? EMPTY : this.scratch.subarray(0, used), lineEnds, end };
  }

  /** Makes room for `more` bytes after the first `used` of the scratch buffer (keeping those). */
  private reserve(used: number, more: number): void {
    if (used + more <= this.scratch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(used + more, this.scratch.length * 2));
    this.scratch.copy(grown, 0, 0, used);
    this.scratch = grown;
  }

  /** After a batch larger than {@link MAX_KEPT_SCRATCH}, goes back to a small scratch buffer. */
  private shrinkScratch(): void {
    if (this.scratch.length > MAX_KEPT_SCRATCH) this.scratch = Buffer.allocUnsafe(INITIAL_SCRATCH);
  }

  /** Opens the active file for appending; notes when it ends in an unterminated (torn) line. */
  private ensureOpen(): void {
    if (this.fd !== undefined) return;
    mkdirSync(this.layout.dir, { recursive: true });
    this.lock?.acquire(); // no-op when held; throws JournalLockedError when another writer has it
    const fd = openSync(this.layout.activePath, 'a+');
    try {
      const { size } = fstatSync(fd);
      this.size = size;
      // A carried rest continues its own partial line: no newline in between.
      this.needsNewline = false;
      if (size > 0 && !this.carry) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        this.needsNewline = last[0] !== 0x0a;
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
  }

  /** Renames the active file to a new segment and opens a new active file; returns the segment. */
  private rotate(): string {
    this.close();
    const segment = renameActiveToSegmentSync(this.layout, new Date());
    if (this.options.fsync === 'batch') syncDirectory(this.layout.dir);
    this.ensureOpen();
    return segment;
  }
}

/** A write that failed part-way; `unstarted` are the lines of the call not begun. */
export class JournalWriteError extends Error {
  constructor(
    cause: unknown,
    readonly unstarted: readonly string[],
  ) {
    super(errorText(cause), { cause });
    this.name = 'JournalWriteError';
  }
}

/** Lines encoded for one write: their bytes, where each ends, and the index after the last one taken. */
interface EncodedBatch {
  readonly bytes: Buffer;
  readonly lineEnds: number[];
  readonly end: number;
}

const EMPTY = Buffer.alloc(0);
/** First size of the scratch buffer batches are encoded into. */
const INITIAL_SCRATCH = 1 << 20;
/** Largest scratch buffer kept between writes (a bigger batch grows it for its own write only). */
const MAX_KEPT_SCRATCH = 8 << 20;

/** fsyncs a directory so a rename in it survives a power loss (best effort: not every platform allows it). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
