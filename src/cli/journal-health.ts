/** A quick pass over the journal counting lines that are not valid records (for `stats`). */
import { readJournal } from '../sinks/journal/reader.js';

/** Counts of journal lines that are not valid signed records. */
export interface JournalHealth {
  /** Segments (files) read. */
  readonly segments: number;
  /** Lines read. */
  readonly lines: number;
  /** Lines torn by an interrupted write (crash). */
  readonly tornLines: number;
  /** Other lines that do not decode as canonical signed records (edited, garbage). */
  readonly malformedLines: number;
}

/** Scans the journal at `file` and counts unreadable lines. */
export async function scanJournalHealth(file: string): Promise<JournalHealth> {
  let lines = 0;
  let tornLines = 0;
  let malformedLines = 0;
  const segments = new Set<string>();
  for await (const entry of readJournal(file)) {
    lines++;
    segments.add(entry.segment.path);
    if (entry.decoded.ok) continue;
    if (entry.torn) tornLines++;
    else malformedLines++;
  }
  return { segments: segments.size, lines, tornLines, malformedLines };
}
