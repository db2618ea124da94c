/**
 * What opening a journal learns from the files a previous process left: whether the active file
 * ends in a torn (unterminated) line, and the head of the last stream written, so that a new
 * signer links its stream to it. Synchronous: it runs once, inside `openJournal`.
 */
import { closeSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeJournalLine } from '../../record/journal-line.js';
import type { StreamHead } from '../../record/stream-head.js';
import type { JournalSegment } from './layout.js';
import { errorText } from '../../events/error-text.js';

/** What {@link inspectJournal} found. */
export interface JournalInspection {
  /** Size of the active file in bytes (0 when absent). */
  readonly activeSize: number;
  /** The active file ends without a newline: its last line was torn by a crash. */
  readonly tornTail?: { readonly offset: number; readonly length: number };
  /** Last signed record in the journal. */
  readonly head?: StreamHead;
  /** Files that could not be read while looking for the head (they were skipped). */
  readonly problems: readonly string[];
}

const FIRST_CHUNK = 64 * 1024;

/** Inspects the journal's files, listed in reading order. */
export function inspectJournal(segments: readonly JournalSegment[]): JournalInspection {
  const active = segments.find((s) => s.kind === 'active');
  let activeSize = 0;
  let tornTail: JournalInspection['tornTail'];
  let head: StreamHead | undefined;
  const problems: string[] = [];
  if (active) {
    const tail = readTailHead(active.path);
    activeSize = tail.size;
    tornTail = tail.torn;
    head = tail.head;
  }
  for (let i = segments.length - 1; i >= 0 && !head; i--) {
    const seg = segments[i] as JournalSegment;
    if (seg.kind === 'active') continue;
    try {
      if (seg.kind === 'rotated') head = readTailHead(seg.path).head;
      else head = lastHeadIn(gunzipSync(readFileSync(seg.path)).toString('utf8'));
    } catch (err) {
      problems.push(`${seg.name}: ${errorText(err)}`);
    }
  }
  return { activeSize, problems, ...(tornTail ? { tornTail } : {}), ...(head ? { head } : {}) };
}

/** Reads a plain file from its end, growing the window until a signed record is found. */
function readTailHead(file: string): { size: number; torn?: { offset: number; length: number }; head?: StreamHead } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { size };
    let window = Math.min(size, FIRST_CHUNK);
    let torn: { offset: number; length: number } | undefined;
    for (;;) {
      const buf = Buffer.alloc(window);
      readSync(fd, buf, 0, window, size - window);
      const lastNl = buf.lastIndexOf(0x0a);
      if (torn === undefined && buf[window - 1] !== 0x0a) {
        const start = lastNl + 1;
        if (lastNl >= 0 || window === size) torn = { offset: size - window + start, length: window - start };
      }
      // Lines wholly inside the window: skip the first fragment unless the window starts the file.
      const text = buf.toString('utf8', 0, lastNl + 1);
      const lines = text.split('\n');
      if (window < size) lines.shift();
      const head = lastHeadIn(lines.join('\n'));
      if (head || window === size) return { size, ...(torn ? { torn } : {}), ...(head ? { head } : {}) };
      window = Math.min(size, window * 4);
    }
  } finally {
    closeSync(fd);
  }
}

/** The last decodable signed record of newline-separated text (a final unterminated line is ignored by callers). */
function lastHeadIn(text: string): StreamHead | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (line === '') continue;
    const decoded = decodeJournalLine(line);
    if (decoded.ok && decoded.record.sig !== '') {
      return { stream: decoded.record.rec.stream, seq: decoded.record.rec.seq, sig: decoded.record.sig };
    }
  }
  return undefined;
}
