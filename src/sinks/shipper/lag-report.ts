/**
 * The shipper's lag as read from disk (for `audit-cli stats`, which runs outside the logging
 * process): the saved cursor, the records of the journal after it, and the age of the oldest of
 * them.
 */
import { isSignedRecord } from '../../record/audit-record.js';
import { JournalLayout, type JournalSegment } from '../journal/layout.js';
import { countBacklog } from './backlog.js';
import { cursorPathOf, loadCursor, type ShippedRecord } from './cursor.js';
import { JournalFileLines } from './file-lines.js';
import { JournalFiles } from './journal-files.js';

/** How far the shipper of a journal is behind, by its saved cursor. */
export interface SavedShipperLag {
  /** Journal lines after the cursor (records not yet acknowledged by the collector). */
  readonly recordsBehind: number;
  /** Age in seconds of the oldest record after the cursor (0 when none). */
  readonly secondsBehind: number;
  /** The last record acknowledged. */
  readonly lastShipped?: ShippedRecord;
  /** When the cursor was saved. */
  readonly cursorSavedAt: string;
  /** The cursor's file is no longer in the journal (deleted by retention): the count starts at the oldest file. */
  readonly cursorFileGone: boolean;
}

/**
 * Reads the lag of the shipper of the journal at `auditFile`; `undefined` when it has no cursor
 * (records were never shipped from it). `layout` names the journal's files (derived from
 * `auditFile` unless given).
 */
export async function readShipperLag(
  auditFile: string,
  now: number = Date.now(),
  layout: JournalLayout = new JournalLayout(auditFile),
): Promise<SavedShipperLag | undefined> {
  const cursor = await loadCursor(cursorPathOf(layout.activePath));
  if (!cursor) return undefined;
  const files = new JournalFiles(layout);
  let index = -1;
  const counted = await countBacklog(layout.activePath, async () => {
    const listed = await files.list();
    index = await files.indexOf(listed, cursor.head, cursor.file);
    return { files: listed.slice(Math.max(0, index)), offset: index >= 0 ? cursor.offset : 0 };
  });
  const recordsBehind = counted?.lines ?? 0;
  let secondsBehind = 0;
  if (counted && recordsBehind > 0) {
    const oldest = await firstRecordTime(counted.from.files, counted.from.offset);
    if (oldest !== undefined) secondsBehind = Math.max(0, (now - oldest) / 1000);
  }
  return {
    recordsBehind,
    secondsBehind,
    ...(cursor.last ? { lastShipped: cursor.last } : {}),
    cursorSavedAt: cursor.savedAt,
    cursorFileGone: index < 0,
  };
}

/** Time (ms) of the first record in `files` from `offset` on. */
async function firstRecordTime(files: readonly JournalSegment[], offset: number): Promise<number | undefined> {
  for (let i = 0; i < files.length; i++) {
    const reader = await JournalFileLines.open(files[i] as JournalSegment, i === 0 ? offset : 0);
    if (!reader) continue;
    try {
      for (;;) {
        const lines = await reader.readLines(64);
        if (lines.length === 0) break;
        for (const { text } of lines) {
          try {
            const parsed: unknown = JSON.parse(text);
            if (isSignedRecord(parsed)) {
              const ms = Date.parse(parsed.rec.ts);
              if (Number.isFinite(ms)) return ms;
            }
          } catch {
            // not a record: look further
          }
        }
      }
    } finally {
      await reader.close();
    }
  }
  return undefined;
}
