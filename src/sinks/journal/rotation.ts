/**
 * Segment maintenance: renaming the active file to a timestamped segment, gzip compression of
 * rotated segments. Every step is crash-safe: a rename is atomic,
 * the gzip is written to `<segment>.gz.tmp` and renamed to `<segment>.gz` only when complete,
 * and the plain segment is removed only after that rename. Deletion past retention: retention.ts.
 */
import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { isNotFound, type JournalLayout } from './layout.js';
import { DEFAULT_COMPRESSION_LEVEL } from './options.js';

/** Suffix of a compression in progress. */
export const TMP_SUFFIX = '.gz.tmp';

/**
 * Renames the active file to a new segment named after `now` (UTC seconds, plus a counter when a
 * segment of that second exists already), synchronously. Returns the segment path.
 */
export function renameActiveToSegmentSync(layout: JournalLayout, now: Date): string {
  let counter = 0;
  let target: string;
  for (;;) {
    target = path.join(layout.dir, layout.segmentName(now, counter));
    if (!existsSync(target) && !existsSync(target + '.gz') && !existsSync(target + TMP_SUFFIX)) break;
    counter++;
  }
  renameSync(layout.activePath, target);
  return target;
}

/** Bytes read from a segment at a time while compressing it. */
const READ_CHUNK_BYTES = 1024 * 1024;
/** Bytes of compressed output handed back at a time. */
const GZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Compresses a plain segment to `<segment>.gz` (stream-based, so memory stays flat), fsyncs it,
 * then removes the plain segment. Returns the compressed path. When it fails (e.g. the disk is
 * full) the partial `.gz.tmp` is removed and the plain segment stays, to be compressed later.
 */
export async function compressSegment(segmentPath: string, level = DEFAULT_COMPRESSION_LEVEL): Promise<string> {
  const tmp = segmentPath + TMP_SUFFIX;
  const done = segmentPath + '.gz';
  try {
    // large chunks: far fewer callbacks on the writing thread (the compression itself runs on libuv's pool)
    await pipeline(
      createReadStream(segmentPath, { highWaterMark: READ_CHUNK_BYTES }),
      createGzip({ level, chunkSize: GZIP_CHUNK_BYTES }),
      createWriteStream(tmp, { flags: 'w' }),
    );
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, done);
  } catch (err) {
    await unlinkIfPresent(tmp).catch(() => undefined);
    throw err;
  }
  await unlink(segmentPath);
  return done;
}

/**
 * Finishes what a crash interrupted: removes incomplete `.gz.tmp` files, removes plain segments
 * whose `.gz` is complete, and returns the plain segments that still need compressing.
 */
export async function recoverSegments(layout: JournalLayout, names: readonly string[]): Promise<string[]> {
  const nameSet = new Set(names);
  const pending: string[] = [];
  for (const name of names) {
    const full = path.join(layout.dir, name);
    if (name.endsWith(TMP_SUFFIX) && layout.parseSegmentName(name.slice(0, -'.tmp'.length))) {
      await unlinkIfPresent(full);
      continue;
    }
    const parsed = layout.parseSegmentName(name);
    if (!parsed || parsed.compressed) continue;
    if (nameSet.has(name + '.gz')) await unlinkIfPresent(full);
    else pending.push(full);
  }
  return pending;
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
