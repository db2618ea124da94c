/**
 * Reading a journal back: every line of every segment in chronological order (rotated and
 * gzipped segments, then the active file), each with its location and decoded record. The
 * integrity command feeds these entries to the chain verifier; the query API filters them.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isSignedRecord, type SignedAuditRecord } from '../../record/audit-record.js';
import { decodeJournalLine, type DecodedLine } from '../../record/journal-line.js';
import { JournalNotFoundError, JournalReadError } from './errors.js';
import { isNotFound, JournalLayout, type JournalSegment } from './layout.js';
import { linesOf, type RawLine } from './line-source.js';
import { DEFAULT_AUDIT_FILE } from './options.js';

/** One line of the journal. */
export interface JournalEntry {
  /** The line exactly as stored (without `\n`). */
  readonly line: string;
  /** `file:lineNo`, e.g. `logs/audit.20260204_153045.log.gz:17` (line number within the decompressed file). */
  readonly location: string;
  /** The decoded record, or why the line is not one. */
  readonly decoded: DecodedLine;
  /** The file the line came from. */
  readonly segment: JournalSegment;
  /**
   * The line is the torn remains of a write interrupted by a crash: it is not JSON, it looks like
   * what a crash leaves ({@link looksTorn}: the start of a journal line, or zero bytes of blocks
   * the file system had not written), and it is either the unterminated last line of a file, or
   * followed by the start of a new stream (seq 1) or the end of its file. Verifiers may report it
   * separately from tampering; any other unreadable line is malformed.
   */
  readonly torn: boolean;
}

/** Progress of a journal scan, in on-disk bytes. */
export interface JournalProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly segment: string;
}

/** Options of {@link readJournal}. */
export interface ReadJournalOptions {
  /** Called as bytes are read (at most once per chunk). */
  readonly onProgress?: (progress: JournalProgress) => void;
  /**
   * Called when a file cannot be read (corrupt gzip, permissions); reading goes on with the next
   * file. Without it the error is thrown.
   */
  readonly onFileError?: (error: JournalReadError) => void;
  /** Only read files that may hold records at or after this time (skipping is by segment time). */
  readonly from?: Date;
}

/** How far record times may be from segment times (buffering, clock adjustments) when skipping files. */
const SKIP_MARGIN_MS = 10 * 60_000;

/**
 * Lists the journal's files in reading order, with sizes.
 * @throws JournalNotFoundError when neither the active file nor any segment exists.
 */
export async function listJournal(auditFile: string = DEFAULT_AUDIT_FILE): Promise<JournalSegment[]> {
  const layout = new JournalLayout(auditFile);
  let segments: JournalSegment[];
  try {
    segments = await layout.list();
  } catch (err) {
    throw new JournalReadError(layout.dir, err);
  }
  if (segments.length === 0) throw new JournalNotFoundError(auditFile, await isDirectory(auditFile));
  return segments;
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false; // missing or unreadable: reported as no journal
  }
}

/**
 * Every line of the journal at `auditFile`, oldest segment first, decoded and checked to be in
 * canonical form (what verification needs).
 * @throws JournalNotFoundError when there is no journal; JournalReadError when a file cannot be
 * read and no `onFileError` was given.
 */
export function readJournal(
  auditFile: string = DEFAULT_AUDIT_FILE,
  options: ReadJournalOptions = {},
): AsyncGenerator<JournalEntry> {
  return scanJournal(auditFile, options, decodeLines);
}

/** A record as read by {@link readJournalRecords}: parsed, not checked for canonical form. */
export interface JournalRecordEntry {
  readonly record: SignedAuditRecord;
  readonly location: string;
}

/**
 * The records of the journal, oldest first, for queries: lines are only parsed (several times
 * faster than {@link readJournal}); lines that are not records are skipped. Whether the records
 * are authentic is for verification (`readJournal` + the chain verifier) to say.
 * @throws like {@link readJournal}.
 */
export function readJournalRecords(
  auditFile: string = DEFAULT_AUDIT_FILE,
  options: ReadJournalOptions = {},
): AsyncGenerator<JournalRecordEntry> {
  return scanJournal(auditFile, options, parseLines);
}

type LineMapper<T> = (
  lines: AsyncIterable<RawLine>,
  segment: JournalSegment,
  location: (lineNo: number) => string,
) => AsyncGenerator<T>;

async function* scanJournal<T>(
  auditFile: string,
  options: ReadJournalOptions,
  mapLines: LineMapper<T>,
): AsyncGenerator<T> {
  const shownDir = path.dirname(auditFile);
  const files = await openSnapshot(auditFile, options.from);
  const totalBytes = files.reduce((n, f) => n + f.segment.size, 0);
  let doneBytes = 0;
  try {
    for (const file of files) {
      const shown = path.join(shownDir, file.segment.name);
      try {
        if (file.error !== undefined) throw file.error;
        if (file.lazy) Object.assign(file, (await openSegmentFile(file.segment)) ?? {});
        if (file.handle) {
          yield* readSegment(file.handle, file.gz, shown, file.segment, mapLines, (bytes) =>
            options.onProgress?.({ bytesRead: doneBytes + bytes, totalBytes, segment: shown }),
          );
        }
      } catch (err) {
        const error = err instanceof JournalReadError ? err : new JournalReadError(shown, err);
        if (!options.onFileError) throw error;
        options.onFileError(error);
      } finally {
        await file.handle?.close().catch(() => undefined);
        file.handle = undefined;
      }
      doneBytes += file.segment.size;
    }
  } finally {
    for (const file of files) await file.handle?.close().catch(() => undefined);
  }
}

/** Listing attempts of a scan start racing with rotations (each rotation is one size limit of writing). */
const SNAPSHOT_ATTEMPTS = 10;

/** A journal file opened for a scan. */
interface OpenedFile {
  readonly segment: JournalSegment;
  handle: FileHandle | undefined;
  gz: boolean;
  /** Opened when its turn comes (gzip segments: they do not change under a writer). */
  readonly lazy?: boolean;
  readonly error?: unknown;
}

/**
 * Lists the journal's files and opens the ones a writer may rename or remove during the scan (the
 * active file and plain segments) up front: an open file stays readable after a rename or
 * unlink, so rotation and compression during the scan cannot hide records. Gzip segments are
 * opened when read (keeps few files open). If a segment appeared between listing and opening
 * (a rotation in that instant), it starts over, up to {@link SNAPSHOT_ATTEMPTS} times, then
 * fails with a `JournalReadError` rather than scan with a gap.
 */
async function openSnapshot(auditFile: string, from: Date | undefined): Promise<OpenedFile[]> {
  for (let attempt = 0; ; attempt++) {
    const listed = await listJournal(auditFile);
    const files: OpenedFile[] = [];
    for (const segment of selectByTime(listed, from)) {
      if (segment.kind === 'compressed') {
        files.push({ segment, handle: undefined, gz: true, lazy: true });
        continue;
      }
      try {
        const opened = await openSegmentFile(segment);
        if (opened) files.push({ segment, ...opened });
      } catch (error) {
        files.push({ segment, handle: undefined, gz: false, error });
      }
    }
    const before = new Set(listed.map((s) => s.name.replace(/\.gz$/, '')));
    const after = await listJournal(auditFile);
    if (after.every((s) => before.has(s.name.replace(/\.gz$/, '')))) return files;
    for (const f of files) await f.handle?.close().catch(() => undefined);
    if (attempt >= SNAPSHOT_ATTEMPTS - 1) {
      throw new JournalReadError(
        path.dirname(auditFile),
        new Error(
          `the journal rotated during each of ${SNAPSHOT_ATTEMPTS} attempts to start a consistent scan; try again`,
        ),
      );
    }
  }
}

/**
 * Keeps the files that may hold records at or after `from`: a rotated segment only holds records
 * emitted before its rotation time (plus a margin). There is no skipping by `to`, because records
 * may carry a timestamp earlier than when they were written (a caller-given time).
 */
export function selectByTime(segments: readonly JournalSegment[], from?: Date): JournalSegment[] {
  if (!from) return [...segments];
  return segments.filter((seg) => seg.kind === 'active' || seg.time.getTime() + SKIP_MARGIN_MS >= from.getTime());
}

async function* readSegment<T>(
  handle: FileHandle,
  gz: boolean,
  shown: string,
  segment: JournalSegment,
  mapLines: LineMapper<T>,
  progress: (bytes: number) => void,
): AsyncGenerator<T> {
  const file = handle.createReadStream({ autoClose: false, emitClose: true });
  let stream: Readable = file;
  if (gz) {
    const gunzip = createGunzip();
    file.once('error', (e) => gunzip.destroy(e));
    stream = file.pipe(gunzip);
  }
  const location = (n: number): string => `${shown}:${n}`;
  let lastLine = 0;
  async function* counted(): AsyncGenerator<RawLine> {
    for await (const raw of linesOf(stream)) {
      lastLine = raw.lineNo;
      progress(file.bytesRead);
      yield raw;
    }
  }
  try {
    yield* mapLines(counted(), segment, location);
  } catch (err) {
    throw err instanceof JournalReadError ? err : new JournalReadError(location(lastLine + 1), err);
  } finally {
    stream.destroy();
    file.destroy();
  }
}

/** Every journal line starts with this. */
const LINE_START = '{"rec":';

/**
 * Whether unreadable text could be the remains of an interrupted append: a prefix of some journal
 * line (it starts like one, or is a start of `{"rec":` itself), or zero bytes first (a block the
 * file system allocated but had not written when the machine stopped). Text such as `garbage`
 * appended to a journal is not, and is reported as malformed.
 */
export function looksTorn(text: string): boolean {
  if (text.length === 0) return false;
  if (text.charCodeAt(0) === 0) return true;
  return text.length >= LINE_START.length ? text.startsWith(LINE_START) : LINE_START.startsWith(text);
}

/** Decodes each line; holds one line back to tell a torn line (followed by a new stream) from an edit. */
async function* decodeLines(
  lines: AsyncIterable<RawLine>,
  segment: JournalSegment,
  location: (n: number) => string,
): AsyncGenerator<JournalEntry> {
  let held: { raw: RawLine; decoded: DecodedLine } | undefined;
  const entry = (raw: RawLine, decoded: DecodedLine, nextStartsStream: boolean): JournalEntry => {
    const notJson = !decoded.ok && decoded.error === 'not-json';
    const torn = notJson && looksTorn(raw.text) && (!raw.terminated || nextStartsStream);
    return { line: raw.text, location: location(raw.lineNo), decoded, segment, torn };
  };
  for await (const raw of lines) {
    const decoded = decodeJournalLine(raw.text);
    if (held) yield entry(held.raw, held.decoded, decoded.ok && decoded.record.rec.seq <= 1);
    held = { raw, decoded };
  }
  if (held) yield entry(held.raw, held.decoded, true);
}

/** Parses each line; yields the ones that have the record shape. */
async function* parseLines(
  lines: AsyncIterable<RawLine>,
  _segment: JournalSegment,
  location: (n: number) => string,
): AsyncGenerator<JournalRecordEntry> {
  for await (const raw of lines) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.text);
    } catch {
      continue;
    }
    if (isSignedRecord(parsed)) yield { record: parsed, location: location(raw.lineNo) };
  }
}

/** Opens a file; a plain segment compressed meanwhile is opened as its `.gz`; `undefined` when gone. */
async function openSegmentFile(segment: JournalSegment): Promise<{ handle: FileHandle; gz: boolean } | undefined> {
  try {
    return { handle: await open(segment.path, 'r'), gz: segment.kind === 'compressed' };
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (segment.kind === 'rotated') {
    try {
      return { handle: await open(segment.path + '.gz', 'r'), gz: true };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return undefined; // removed meanwhile (retention, or the active file being rotated)
}
