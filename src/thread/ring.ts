/**
 * A single-producer, single-consumer ring of text entries in a SharedArrayBuffer: the app thread
 * writes, the audit worker reads. Each entry is a 4-byte header (`byteLength << 2 | kind`)
 * followed by its UTF-8 bytes, padded to 4 bytes; an entry may wrap around the end of the data
 * area. The write and read positions are 32-bit counters of bytes (they wrap at 2^32, and the
 * capacity is a power of two, so a counter modulo the capacity is always the byte offset).
 *
 * The header words also carry the worker's start-up status and the exit handshake (see
 * {@link RING_WORD}); every shared word is read and written with `Atomics`.
 */
import { Buffer } from 'node:buffer';

/**
 * Indices of the shared control words. The words each thread writes on every entry (`head` by the
 * producer, `tail` by the consumer) sit on cache lines of their own, 64 bytes apart, so the two
 * threads do not take the same line from each other on every record.
 */
export const RING_WORD = {
  /** Bytes written so far (mod 2^32). */
  head: 0,
  /** Bytes consumed so far (mod 2^32). */
  tail: 16,
  /** 1 while the consumer waits for entries; the producer clears it and notifies. */
  sleeping: 32,
  /** The worker's state: {@link WORKER_STATUS}. */
  status: 48,
  /** Set by the app thread at exit: the worker writes everything and answers in `exitDone`. */
  exitRequest: 49,
  /** 1 once the worker has written every entry up to the exit request to the journal. */
  exitDone: 50,
  /** 1 while the producer waits for space; the consumer clears it and notifies after a batch. */
  spaceWanted: 51,
  /** Advanced by the worker while it answers a request: a sign of life the app thread watches. */
  beat: 52,
  /**
   * Ring entries the worker has taken whose outcome is settled (mod 2^32): written to the journal's
   * file (handed to the OS) and, without the journal shipper, answered by the OTLP collector, or
   * counted as failures. Entries taken beyond this are still in the worker's buffers. Updated with
   * each state report and when the worker's thread exits (after the journal's exit write).
   */
  settled: 53,
} as const;

/** Values of the `status` word. */
export const WORKER_STATUS = { starting: 0, ready: 1, failed: 2, stopped: 3 } as const;

/** Kinds of entry. */
export const ENTRY_KIND = {
  /** A log record snapshot (JSON). */
  record: 0,
  /** A control change ordered with the records, e.g. compliance mode (JSON). */
  control: 1,
  /** An entry too large for the ring: its text travels on the side channel, in order. */
  large: 2,
} as const;

export type EntryKind = (typeof ENTRY_KIND)[keyof typeof ENTRY_KIND];

const HEADER_WORDS = 64;
const HEADER_BYTES = HEADER_WORDS * 4;

/** Smallest ring accepted (bytes of the data area). */
export const MIN_RING_BYTES = 4096;

/** Outcome of {@link Ring.write}. */
export type WriteOutcome = 'written' | 'full' | 'too-large';

/** Bytes an entry of `n` payload bytes occupies. */
function entrySize(n: number): number {
  return 4 + ((n + 3) & ~3);
}

/** `Atomics.waitAsync` (Node 16+; typed in lib ES2024, newer than this project's lib). */
interface AtomicsWithWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}

/** The shared ring; both threads build one over the same buffer. */
export class Ring {
  /** Control words ({@link RING_WORD}). */
  readonly words: Int32Array;
  private readonly data: Buffer;
  private readonly mask: number;
  /** Bytes of the data area. */
  readonly capacity: number;
  /** Largest payload written into the ring itself (larger ones go to the side channel). */
  readonly maxPayload: number;
  private scratch = Buffer.allocUnsafe(4096);

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, 0, HEADER_WORDS);
    this.capacity = buffer.byteLength - HEADER_BYTES;
    this.mask = this.capacity - 1;
    this.data = Buffer.from(buffer, HEADER_BYTES, this.capacity);
    this.maxPayload = Math.floor(this.capacity / 4);
  }

  /** A new shared buffer for a ring of `capacity` bytes (rounded up to a power of two). */
  static allocate(capacity: number): SharedArrayBuffer {
    if (!Number.isFinite(capacity) || capacity < MIN_RING_BYTES || capacity > 2 ** 30)
      throw new RangeError(`thread ring size must be ${MIN_RING_BYTES}..${2 ** 30} bytes, got ${capacity}`);
    return new SharedArrayBuffer(HEADER_BYTES + 2 ** Math.ceil(Math.log2(capacity)));
  }

  /** Bytes written and not yet consumed. */
  used(): number {
    return (Atomics.load(this.words, RING_WORD.head) - Atomics.load(this.words, RING_WORD.tail)) >>> 0;
  }

  /** Whether every written entry was consumed. */
  isEmpty(): boolean {
    return Atomics.load(this.words, RING_WORD.head) === Atomics.load(this.words, RING_WORD.tail);
  }

  /** Entries written and not yet consumed (walks them; for accounting when the consumer is gone). */
  countEntries(): number {
    let tail = Atomics.load(this.words, RING_WORD.tail);
    const head = Atomics.load(this.words, RING_WORD.head);
    let count = 0;
    while (tail !== head) {
      tail = (tail + entrySize(this.data.readUInt32LE(tail & this.mask) >>> 2)) | 0;
      count++;
    }
    return count;
  }

  // ---- producer ---------------------------------------------------------------------------

  /** Appends one entry; `full` when it does not fit now, `too-large` when it never will. */
  write(kind: EntryKind, text: string): WriteOutcome {
    const head = Atomics.load(this.words, RING_WORD.head);
    const free = this.capacity - ((head - Atomics.load(this.words, RING_WORD.tail)) >>> 0);
    const at = head & this.mask;
    const start = (at + 4) & this.mask;
    // UTF-8 takes at least one byte per UTF-16 unit: a ring without that much room is full
    if (entrySize(text.length) > free) return text.length > this.maxPayload ? 'too-large' : 'full';
    let n: number;
    // fast path: room for the worst case (3 bytes per UTF-16 unit) in one piece after the header
    const worst = text.length * 3;
    if (worst <= this.maxPayload && entrySize(worst) <= free && start + worst <= this.capacity) {
      n = this.data.write(text, start, 'utf8');
    } else {
      n = Buffer.byteLength(text, 'utf8');
      if (n > this.maxPayload) return 'too-large';
      if (entrySize(n) > free) return 'full';
      if (start + n <= this.capacity) this.data.write(text, start, 'utf8');
      else {
        if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(Math.max(n, this.scratch.length * 2));
        this.scratch.write(text, 0, 'utf8');
        const first = this.capacity - start;
        this.scratch.copy(this.data, start, 0, first);
        this.scratch.copy(this.data, 0, first, n);
      }
    }
    this.data.writeUInt32LE(((n << 2) | kind) >>> 0, at);
    Atomics.store(this.words, RING_WORD.head, (head + entrySize(n)) | 0);
    return 'written';
  }

  /** Wakes the consumer when it sleeps (cheap when it does not). */
  wake(): void {
    if (Atomics.load(this.words, RING_WORD.sleeping) === 1) {
      Atomics.store(this.words, RING_WORD.sleeping, 0);
      Atomics.notify(this.words, RING_WORD.sleeping);
    }
  }

  /**
   * Blocks the calling thread until the consumer has read a batch or `timeoutMs` passed; returns
   * whether the tail moved. (The consumer notifies once per batch, not per entry, so a producer
   * waiting on a full ring is woken once per batch rather than once per record.)
   */
  waitForSpace(timeoutMs: number): boolean {
    Atomics.store(this.words, RING_WORD.spaceWanted, 1);
    const tail = Atomics.load(this.words, RING_WORD.tail);
    this.wake();
    return Atomics.wait(this.words, RING_WORD.tail, tail, timeoutMs) !== 'timed-out';
  }

  // ---- consumer ---------------------------------------------------------------------------

  /**
   * Calls `each` for up to `max` entries in order and consumes them; returns how many were read.
   * The tail advances before each entry is handled, so the producer can reuse the space at once.
   */
  read(max: number, each: (kind: EntryKind, text: string) => void): number {
    let tail = Atomics.load(this.words, RING_WORD.tail);
    const head = Atomics.load(this.words, RING_WORD.head);
    let count = 0;
    while (tail !== head && count < max) {
      const at = tail & this.mask;
      const header = this.data.readUInt32LE(at);
      const n = header >>> 2;
      const kind = (header & 3) as EntryKind;
      const start = (at + 4) & this.mask;
      let text: string;
      if (start + n <= this.capacity) text = this.data.toString('utf8', start, start + n);
      else {
        const first = this.capacity - start;
        text = Buffer.concat([this.data.subarray(start, this.capacity), this.data.subarray(0, n - first)]).toString(
          'utf8',
        );
      }
      tail = (tail + entrySize(n)) | 0;
      Atomics.store(this.words, RING_WORD.tail, tail);
      count++;
      each(kind, text);
    }
    if (count > 0 && Atomics.load(this.words, RING_WORD.spaceWanted) === 1) {
      Atomics.store(this.words, RING_WORD.spaceWanted, 0);
      Atomics.notify(this.words, RING_WORD.tail);
    }
    return count;
  }

  /**
   * Marks the consumer as sleeping and returns a promise settled when the producer wakes it, or
   * `undefined` when entries arrived meanwhile (read them first).
   */
  sleep(): Promise<unknown> | undefined {
    Atomics.store(this.words, RING_WORD.sleeping, 1);
    if (!this.isEmpty() || Atomics.load(this.words, RING_WORD.exitRequest) === 1) {
      Atomics.store(this.words, RING_WORD.sleeping, 0);
      return undefined;
    }
    const waiting = (Atomics as unknown as AtomicsWithWaitAsync).waitAsync(this.words, RING_WORD.sleeping, 1);
    return waiting.async ? waiting.value : undefined;
  }
}
