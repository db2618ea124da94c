/**
 * Where the shipper reads in the journal: the file it has open, the fingerprint of that file's
 * first line, and whether the active file it reads has been rotated away. It finds the file of a
 * saved cursor again (by fingerprint: a rename or gzip does not lose it), moves on from a finished
 * file to the next one, and opens a file only when two listings of the journal, before and after
 * the open, agree on it (the journal rotates and compresses while it is read).
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import type { JournalLayout, JournalSegment } from '../journal/layout.js';
import { lineFingerprint, type ShipCursor } from './cursor.js';
import { JournalFileLines, type LineAt } from './file-lines.js';
import { JournalFiles } from './journal-files.js';
import { SHIPPER_FAILURE } from './shipper-status.js';

/** Where shipping starts after a restart: the files from the cursor's on, and its offset in the first. */
export interface ResumePoint {
  readonly files: readonly JournalSegment[];
  readonly offset: number;
}

/**
 * Whether the open file will get more lines: `done` (it is complete: move on), `reread` (the
 * active file was just rotated away: read it once more for lines written before the rename) or
 * `open` (the active file, still being written).
 */
export type FileState = 'done' | 'reread' | 'open';

/** A file chosen from a listing of the journal, and where to start reading it. */
type Choice = { segment: JournalSegment; offset: number };

/** The shipper's place in the journal's files. */
export class ReadingPosition {
  private readonly files: JournalFiles;
  private reader: JournalFileLines | undefined;
  private head: string | undefined;
  private rotated = false;

  constructor(
    layout: JournalLayout,
    private readonly diagnostics: AuditDiagnostics,
  ) {
    this.files = new JournalFiles(layout);
  }

  /** Whether a file is open. */
  get isOpen(): boolean {
    return this.reader !== undefined;
  }

  /** The open file. */
  get segment(): JournalSegment {
    return this.open().segment;
  }

  /** Bytes of the open file read but not yet returned as lines (an unterminated tail). */
  get pendingBytes(): number {
    return this.open().pendingBytes;
  }

  /**
   * Opens the file `cursor` points into (the oldest file when there is no cursor, or when its file
   * is gone: counted), closing the one open. Resolves where shipping resumes, `undefined` when the
   * journal has no file.
   */
  async resumeAt(cursor: ShipCursor | undefined): Promise<ResumePoint | undefined> {
    await this.close();
    this.head = undefined;
    this.rotated = false;
    let lost = false;
    let start: { files: readonly JournalSegment[]; index: number; offset: number } | undefined;
    await this.openStable(async (files) => {
      start = undefined;
      const found = cursor ? await this.files.indexOf(files, cursor.head, cursor.file) : -1;
      lost = cursor !== undefined && found < 0 && files.length > 0;
      const index = Math.max(0, found);
      const segment = files[index];
      if (!segment) return undefined;
      start = { files, index, offset: found >= 0 && cursor ? cursor.offset : 0 };
      return { segment, offset: start.offset };
    });
    if (lost && cursor) {
      this.diagnostics.count(
        SHIPPER_FAILURE.cursor,
        `the file of the saved cursor (${cursor.file}) is no longer in the journal; shipping from its oldest file`,
      );
    }
    if (!start) return undefined;
    const { files, index, offset } = start as { files: readonly JournalSegment[]; index: number; offset: number };
    if (cursor && !lost) this.head = cursor.head;
    return { files: files.slice(index), offset };
  }

  /** Up to `max` complete lines of the open file from where the last read stopped. */
  readLines(max: number): Promise<LineAt[]> {
    return this.open().readLines(max);
  }

  /**
   * The fingerprint of the open file's first line, for a cursor after `lines` (the lines just
   * read): taken from the first of them when they start the file.
   */
  async headFor(lines: readonly LineAt[]): Promise<string> {
    const first = lines[0];
    if (this.head === undefined && first && first.end === Buffer.byteLength(first.text) + 1)
      this.head = lineFingerprint(first.text);
    return this.head ?? (await this.files.headOf(this.segment)) ?? '';
  }

  /** Whether the open file will get more lines (see {@link FileState}). */
  async fileState(): Promise<FileState> {
    const reader = this.open();
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

  /** Closes the open file and opens the one after it. Resolves false when there is none yet. */
  async advance(): Promise<boolean> {
    const reader = this.open();
    if (reader.pendingBytes > 0) {
      this.diagnostics.count(
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
      this.diagnostics.count(
        SHIPPER_FAILURE.cursor,
        `${from.name} vanished while being shipped; continued with the next file by time`,
      );
    return opened;
  }

  /** Closes the open file (the next read opens one again). */
  async close(): Promise<void> {
    await this.reader?.close();
    this.reader = undefined;
  }

  private open(): JournalFileLines {
    if (!this.reader) throw new Error('no journal file is open');
    return this.reader;
  }

  /**
   * Opens the file `pick` chooses from a listing of the journal, and lists the journal again: the
   * choice must be the same file (a segment may have been gzipped meanwhile), or it is made again.
   * A listing can be stale by the time the file is open: the active file can be rotated between
   * the listing and the open (the path then names the new, empty active file). A later listing
   * shows it, so a file is opened only when the listings before and after the open agree.
   */
  private async openStable(pick: (files: readonly JournalSegment[]) => Promise<Choice | undefined>): Promise<boolean> {
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
}

/** A segment's name without `.gz` (the same segment before and after compression). */
function stripGz(name: string): string {
  return name.endsWith('.gz') ? name.slice(0, -3) : name;
}
