/**
 * Retention: deleting rotated segments older than the retention period, after writing down what
 * they held. Before a segment is deleted, a signed retention record naming it — and, for each
 * stream with records in it, the first and last sequence number and the last signature — is
 * written into the stream being written and flushed, so a verifier can tell a run removed by
 * retention from a run deleted by someone else.
 */
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { isSignedRecord } from '../../record/audit-record.js';
import type { JournalRemoval, RemovalRecorder, RemovedStream } from '../../record/retention-record.js';
import { JOURNAL_FAILURE } from './journal-failures.js';
import { isNotFound, type JournalLayout, type JournalSegment } from './layout.js';
import { linesOf } from './line-source.js';

/** How a retention sweep gets its record written. */
export interface RetentionRecording {
  /** Writes the signed retention record; `undefined` when no signer is bound to the journal (segments are then deleted unrecorded). */
  readonly recorder: () => RemovalRecorder | undefined;
  /** Writes what the journal buffers (the retention record) before anything is deleted. */
  readonly flush: () => Promise<void>;
}

/**
 * Decides which expired segments may really be deleted (e.g. not the ones a shipper has not
 * sent yet); it may declare what is deleted unsent before answering. Gets the expired segments
 * oldest first, returns those to delete.
 */
export type RetentionGuard = (expired: readonly JournalSegment[]) => Promise<readonly JournalSegment[]>;

/** What a sweep consults besides the clock. */
export interface RetentionHooks {
  /** How the retention record gets written (none: expired segments are deleted unrecorded). */
  readonly recording?: RetentionRecording | undefined;
  /** Which expired segments may go (none: all of them). */
  readonly guard?: RetentionGuard | undefined;
}

/** Result of a sweep. */
export interface RetentionSweep {
  /** Paths deleted. */
  readonly deleted: readonly string[];
  /** Expired segments kept because their retention record could not be written (tried again next sweep). */
  readonly kept: readonly string[];
}

/** The rotated segments (never the active file) whose segment time is older than `retentionDays` before `now`. */
export async function expiredSegments(
  layout: JournalLayout,
  retentionDays: number,
  now: Date,
): Promise<JournalSegment[]> {
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  return (await layout.list()).filter((seg) => seg.kind !== 'active' && seg.time.getTime() < cutoff);
}

/**
 * Deletes expired segments, except those the guard keeps. With a signer bound, a retention record
 * describing them is written and flushed first; when it cannot be written, nothing is deleted.
 */
export async function sweepRetention(
  layout: JournalLayout,
  retentionDays: number,
  now: Date,
  hooks: RetentionHooks = {},
): Promise<RetentionSweep> {
  let expired = await expiredSegments(layout, retentionDays, now);
  if (hooks.guard && expired.length > 0) expired = [...(await hooks.guard(expired))];
  if (expired.length === 0) return { deleted: [], kept: [] };
  const recording = hooks.recording;
  const recorder = recording?.recorder();
  if (recording && recorder) {
    const removal = await describeSegments(expired);
    if (!recorder(removal)) return { deleted: [], kept: expired.map((s) => s.path) };
    await recording.flush();
  }
  const deleted: string[] = [];
  for (const seg of expired) {
    await unlinkIfPresent(seg.path);
    deleted.push(seg.path);
  }
  return { deleted, kept: [] };
}

/** What `segments` hold of each stream: first and last seq and the signature of the last record. */
export async function describeSegments(segments: readonly JournalSegment[]): Promise<JournalRemoval> {
  const streams = new Map<string, { firstSeq: number; lastSeq: number; head: string }>();
  for (const seg of segments) {
    const input = createReadStream(seg.path);
    let source: Readable = input;
    if (seg.kind === 'compressed') {
      const gunzip = createGunzip();
      input.on('error', (err) => gunzip.destroy(err)); // a read error ends the gunzip stream with it
      source = input.pipe(gunzip);
    }
    try {
      for await (const line of linesOf(source)) noteLine(streams, line.text);
    } catch (err) {
      // a segment removed meanwhile, or a damaged gzip: describe what could be read
      if (!isNotFound(err) && !(err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw err;
    } finally {
      input.destroy();
      source.destroy();
    }
  }
  const described: RemovedStream[] = [...streams].map(([stream, s]) => ({ stream, ...s }));
  return { segments: segments.map((s) => s.name), streams: described };
}

function noteLine(streams: Map<string, { firstSeq: number; lastSeq: number; head: string }>, text: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return; // a torn or damaged line: not a record
  }
  if (!isSignedRecord(parsed) || parsed.sig === '' || parsed.rec.stream === '' || parsed.rec.seq < 1) return;
  const { stream, seq } = parsed.rec;
  const known = streams.get(stream);
  if (!known) streams.set(stream, { firstSeq: seq, lastSeq: seq, head: parsed.sig });
  else {
    if (seq < known.firstSeq) known.firstSeq = seq;
    if (seq >= known.lastSeq) {
      known.lastSeq = seq;
      known.head = parsed.sig;
    }
  }
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Runs a sweep now; expired segments kept because their record could not be written are counted as `journal.retention`. */
export async function runRetention(
  layout: JournalLayout,
  retentionDays: number,
  hooks: RetentionHooks,
  diagnostics: AuditDiagnostics,
): Promise<RetentionSweep> {
  const sweep = await sweepRetention(layout, retentionDays, new Date(), hooks);
  if (sweep.kept.length > 0) {
    diagnostics.count(
      JOURNAL_FAILURE.retention,
      `${sweep.kept.length} expired segment(s) kept: their retention record could not be written (tried again at the next sweep)`,
    );
  }
  return sweep;
}
