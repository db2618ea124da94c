/**
 * The shipper's saved position in the journal: which file (by name and by a fingerprint of its
 * first line, so a rotation that renamed the active file is followed) and the byte offset just
 * after the last line the collector acknowledged. Written atomically (temporary file, fsync,
 * rename) after each acknowledged batch, so a crash leaves either the old or the new cursor.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { isNotFound } from '../journal/layout.js';

/** Cursor file format version. */
export const CURSOR_VERSION = 1;

/** The last record the collector acknowledged. */
export interface ShippedRecord {
  readonly stream: string;
  readonly seq: number;
  /** Record time (ISO-8601) from the record itself. */
  readonly ts: string;
}

/** Position of the shipper in the journal. */
export interface ShipCursor {
  readonly v: number;
  /** Name of the file when the cursor was saved (the active file's name, or a segment's). */
  readonly file: string;
  /** Fingerprint of the file's first line ({@link lineFingerprint}): identifies it after a rename or gzip. */
  readonly head: string;
  /** Byte offset in the (decompressed) file just after the last acknowledged line. */
  readonly offset: number;
  /** The last record acknowledged, when there was one. */
  readonly last?: ShippedRecord;
  /** Records acknowledged through this cursor file since it was created. */
  readonly shippedTotal: number;
  /** When it was saved (ISO-8601). */
  readonly savedAt: string;
}

/** Path of the cursor file of the journal whose active file is `activePath`. */
export function cursorPathOf(activePath: string): string {
  return activePath + '.ship-cursor';
}

/** A short fingerprint of a file's first line (sha-256, 32 hex digits). */
export function lineFingerprint(line: string | Buffer): string {
  return createHash('sha256').update(line).digest('hex').slice(0, 32);
}

/** Reads the cursor; `undefined` when there is none yet. Throws on an unreadable or malformed file. */
export async function loadCursor(file: string): Promise<ShipCursor | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isCursor(parsed)) throw new Error(`${file} is not a shipper cursor`);
  return parsed;
}

/** Writes the cursor atomically: `<file>.tmp`, fsync, rename over `file`. */
export async function saveCursor(file: string, cursor: ShipCursor): Promise<void> {
  const tmp = file + '.tmp';
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(cursor) + '\n', 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

function isCursor(value: unknown): value is ShipCursor {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    c.v === CURSOR_VERSION &&
    typeof c.file === 'string' &&
    typeof c.head === 'string' &&
    Number.isSafeInteger(c.offset) &&
    (c.offset as number) >= 0 &&
    Number.isSafeInteger(c.shippedTotal) &&
    typeof c.savedAt === 'string'
  );
}
