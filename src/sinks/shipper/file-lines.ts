/**
 * Reads complete lines of one journal file from a byte offset on: plain files (the active file,
 * which may still grow, and rotated segments) through positioned reads, gzip segments through a
 * streaming gunzip that skips to the offset. An unterminated last line is left for later (the
 * writer may be in the middle of appending it). Offsets are in decompressed bytes.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { isNotFound, type JournalSegment } from '../journal/layout.js';

/** One complete line and the offset just after its `\n`. */
export interface LineAt {
  readonly text: string;
  readonly end: number;
}

/** Bytes read per plain-file read. */
const CHUNK = 1 << 20;

interface ChunkSource {
  /** Next bytes, or `null` when there are none (for now, for a plain file that may grow). */
  read(): Promise<Buffer | null>;
  close(): Promise<void>;
}

class PlainSource implements ChunkSource {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  constructor(
    readonly handle: FileHandle,
    private pos: number,
  ) {}

  async read(): Promise<Buffer | null> {
    const { bytesRead } = await this.handle.read(this.buf, 0, CHUNK, this.pos);
    if (bytesRead === 0) return null;
    this.pos += bytesRead;
    return Buffer.from(this.buf.subarray(0, bytesRead));
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

class GzipSource implements ChunkSource {
  private readonly iterator: AsyncIterator<Buffer>;
  private skip: number;
  private readonly destroy: () => void;

  constructor(handle: FileHandle, offset: number) {
    const file = handle.createReadStream({ autoClose: true, start: 0 });
    const gunzip = createGunzip();
    file.once('error', (e) => gunzip.destroy(e));
    const stream = file.pipe(gunzip);
    this.iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    this.skip = offset;
    this.destroy = () => {
      stream.destroy();
      file.destroy();
    };
  }

  async read(): Promise<Buffer | null> {
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) return null;
      let chunk = next.value;
      if (this.skip > 0) {
        if (chunk.length <= this.skip) {
          this.skip -= chunk.length;
          continue;
        }
        chunk = chunk.subarray(this.skip);
        this.skip = 0;
      }
      return chunk;
    }
  }

  async close(): Promise<void> {
    this.destroy();
  }
}

/** Complete lines of one journal file from an offset on. */
export class JournalFileLines {
  private carry: Buffer = Buffer.alloc(0);
  /** Offset of the first byte of `carry`. */
  private carryAt: number;
  private ended = false;

  private constructor(
    /** The file as listed when it was opened. */
    readonly segment: JournalSegment,
    private readonly source: ChunkSource,
    offset: number,
  ) {
    this.carryAt = offset;
  }

  /**
   * Opens `segment` at `offset`. A plain segment compressed meanwhile is opened as its `.gz`.
   * Resolves `undefined` when the file is gone.
   */
  static async open(segment: JournalSegment, offset: number): Promise<JournalFileLines | undefined> {
    const attempts: [string, boolean][] = [[segment.path, segment.kind === 'compressed']];
    if (segment.kind === 'rotated') attempts.push([segment.path + '.gz', true]);
    for (const [file, gz] of attempts) {
      let handle: FileHandle;
      try {
        handle = await open(file, 'r');
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      const source = gz ? new GzipSource(handle, offset) : new PlainSource(handle, offset);
      return new JournalFileLines(segment, source, offset);
    }
    return undefined;
  }

  /** Offset just after the last line returned so far. */
  get offset(): number {
    return this.carryAt;
  }

  /** The open handle of a plain file (its inode tells whether the active file was rotated away). */
  get plainHandle(): FileHandle | undefined {
    return this.source instanceof PlainSource ? this.source.handle : undefined;
  }

  /** True when a compressed file has been read to its end. */
  get finished(): boolean {
    return this.ended;
  }

  /**
   * Up to `max` complete lines. Fewer (or none) when the file has no more complete lines right
   * now; for gzip segments that means the end of the file ({@link finished}).
   */
  async readLines(max: number): Promise<LineAt[]> {
    const out: LineAt[] = [];
    for (;;) {
      let start = 0;
      while (out.length < max) {
        const nl = this.carry.indexOf(0x0a, start);
        if (nl < 0) break;
        out.push({ text: this.carry.toString('utf8', start, nl), end: this.carryAt + nl + 1 });
        start = nl + 1;
      }
      if (start > 0) {
        this.carryAt += start;
        this.carry = this.carry.subarray(start);
      }
      if (out.length >= max || this.ended) return out;
      const chunk = await this.source.read();
      if (chunk === null) {
        if (this.source instanceof GzipSource) this.ended = true;
        return out;
      }
      this.carry = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    }
  }

  /** Bytes read but not yet returned as lines (an unterminated tail). */
  get pendingBytes(): number {
    return this.carry.length;
  }

  async close(): Promise<void> {
    await this.source.close().catch(() => undefined);
  }
}

/** The first line of a journal file, or `undefined` when it has no complete first line. */
export async function firstLineOf(segment: JournalSegment): Promise<string | undefined> {
  const lines = await JournalFileLines.open(segment, 0);
  if (!lines) return undefined;
  try {
    const [first] = await lines.readLines(1);
    return first?.text;
  } finally {
    await lines.close();
  }
}
