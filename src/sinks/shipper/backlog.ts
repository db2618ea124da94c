/**
 * Counting what the shipper has not shipped yet: the lines of the journal after a position
 * (decompressing gzip segments as needed). Used for the lag at start and by `audit-cli stats`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isNotFound, type JournalSegment } from '../journal/layout.js';

/** Where a count starts: the files from the one holding the position on, and the offset in the first. */
export interface CountFrom {
  readonly files: readonly JournalSegment[];
  readonly offset: number;
}

/** How many times a count is taken again because the journal rotated while it ran. */
const COUNT_TRIES = 5;

/**
 * Counts the lines after a position found by `locate` in a fresh listing of the journal. A count
 * reads the files of one listing; when the active file is rotated while it runs, the segment it
 * became is not in that listing and the path names the new active file, so the lines after the
 * position would be miscounted. The active file is identified (inode) before the listing and
 * after the count, and the whole count is taken again when they differ (at most a few times; the
 * last count stands). Resolves `undefined` when `locate` finds no file.
 */
export async function countBacklog(
  activePath: string,
  locate: () => Promise<CountFrom | undefined>,
): Promise<{ from: CountFrom; lines: number } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const before = await activeInode(activePath);
    const from = await locate();
    if (!from) return undefined;
    const lines = await countLinesAfter(from.files, from.offset);
    if (attempt >= COUNT_TRIES || (await activeInode(activePath)) === before) return { from, lines };
  }
}

async function activeInode(activePath: string): Promise<number | undefined> {
  try {
    return (await stat(activePath)).ino;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Complete lines in `files`, the first of them from byte `offset` (decompressed) on. Missing files count 0. */
export async function countLinesAfter(files: readonly JournalSegment[], offset: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < files.length; i++) total += await countLines(files[i] as JournalSegment, i === 0 ? offset : 0);
  return total;
}

async function countLines(segment: JournalSegment, offset: number): Promise<number> {
  const candidates: [string, boolean][] = [[segment.path, segment.kind === 'compressed']];
  if (segment.kind === 'rotated') candidates.push([segment.path + '.gz', true]);
  for (const [file, gz] of candidates) {
    try {
      return await countNewlines(file, gz, offset);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return 0;
}

async function countNewlines(file: string, gz: boolean, offset: number): Promise<number> {
  const raw = createReadStream(file, gz ? {} : { start: offset });
  await new Promise<void>((resolve, reject) => {
    raw.once('open', () => resolve());
    raw.once('error', reject);
  });
  let stream: Readable = raw;
  if (gz) {
    const gunzip = createGunzip();
    raw.once('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  let skip = gz ? offset : 0;
  let count = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      if (skip > 0) {
        from = Math.min(skip, chunk.length);
        skip -= from;
      }
      for (let i = chunk.indexOf(0x0a, from); i >= 0; i = chunk.indexOf(0x0a, i + 1)) count++;
    }
  } finally {
    stream.destroy();
    raw.destroy();
  }
  return count;
}
