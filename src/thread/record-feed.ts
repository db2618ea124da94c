/**
 * The app thread's side of the ring: appends entries and, when the ring is full, keeps them in
 * a bounded overflow queue (in order) that is moved into the ring as the worker frees space.
 * When the queue is full too, the caller waits (bounded) for space; only when the worker is gone
 * or does not free space within that bound is an entry given up, and then it is counted. Never
 * throws.
 */
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { ENTRY_KIND, type EntryKind, type Ring } from './ring.js';

/** Diagnostics kinds counted by the feed. */
export const FEED_FAILURE = {
  /** The ring was full: records waited in the app thread's overflow queue (not lost); counted once per episode. */
  overflow: 'thread.overflow',
  /** A record could not be handed to the audit worker (worker gone, or no space within the wait bound). */
  lost: 'thread.lost',
} as const;

/** Limits of the overflow queue. */
export interface FeedLimits {
  /** Most UTF-16 code units kept in the overflow queue (default 8 Mi, about 16 MiB); a single larger entry is queued alone. */
  readonly overflowChars: number;
  /** Longest the caller is blocked waiting for space when the queue is full (ms, default 5000). */
  readonly maxWaitMs: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = { overflowChars: 8 * 1024 * 1024, maxWaitMs: 5000 };

/** Sends an entry too large for the ring on the side channel; it must be queued before its marker is written. */
export type LargeEntrySender = (kind: EntryKind, text: string) => void;

/** Counters of the feed (also in `getDiagnostics().thread`). */
export interface FeedStats {
  /** Entries handed to the ring (directly or from the overflow queue). */
  readonly written: number;
  /** Entries that went through the overflow queue. */
  readonly overflowed: number;
  /** Entries in the overflow queue now. */
  readonly queued: number;
  /** Most entries the overflow queue held at once. */
  readonly queuedPeak: number;
  /** Time the caller spent blocked waiting for ring space (ms). */
  readonly waitedMs: number;
  /** Entries given up (counted as `thread.lost`). */
  readonly lost: number;
}

/** Producer of one ring. */
export class RecordFeed {
  private queue: { kind: EntryKind; text: string }[] = [];
  private queueStart = 0;
  private queuedChars = 0;
  private timer: NodeJS.Timeout | undefined;
  private written = 0;
  private overflowed = 0;
  private queuedPeak = 0;
  private waitedMs = 0;
  private lost = 0;
  /** Set when the worker is known to be gone: entries are counted as lost right away. */
  dead = false;

  constructor(
    private readonly ring: Ring,
    private readonly diagnostics: AuditDiagnostics,
    private readonly sendLarge: LargeEntrySender,
    private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS,
  ) {}

  /** Appends one entry (ring, else overflow queue, else a bounded wait); never throws. */
  push(kind: EntryKind, text: string): void {
    if (this.dead) {
      this.giveUp(1, 'the audit worker is not running');
      return;
    }
    if (this.queueStart === this.queue.length && this.put(kind, text)) {
      this.ring.wake();
      return;
    }
    this.moveQueued();
    if (this.queueStart === this.queue.length && this.put(kind, text)) {
      this.ring.wake();
      return;
    }
    if (this.queuedChars + text.length > this.limits.overflowChars) {
      if (!this.waitForRoom(text.length)) {
        this.giveUp(1, 'the ring and the overflow queue stayed full');
        return;
      }
      if (this.queueStart === this.queue.length && this.put(kind, text)) {
        this.ring.wake();
        return;
      }
    }
    // counted once per episode (the queue was empty): under sustained load nearly every record
    // goes through the queue, and counting each would cost every call the counter's metric update
    if (this.queueStart === this.queue.length)
      this.diagnostics.count(
        FEED_FAILURE.overflow,
        `ring full; records queued in the app thread (${this.overflowed} so far)`,
      );
    this.queue.push({ kind, text });
    this.queuedChars += text.length;
    this.overflowed++;
    const queued = this.queue.length - this.queueStart;
    if (queued > this.queuedPeak) this.queuedPeak = queued;
    this.ring.wake();
    this.schedule();
  }

  /**
   * Moves the whole overflow queue into the ring, blocking (at most `maxWaitMs`) for space; for
   * flush, shutdown and process exit. Returns whether the queue is empty.
   */
  drainBlocking(maxWaitMs: number = this.limits.maxWaitMs): boolean {
    const deadline = Date.now() + maxWaitMs;
    this.moveQueued();
    while (this.queueStart < this.queue.length && !this.dead && Date.now() < deadline) {
      this.ring.waitForSpace(Math.min(50, Math.max(1, deadline - Date.now())));
      this.moveQueued();
    }
    return this.queueStart === this.queue.length;
  }

  /** Counts everything still queued as lost (the worker is gone). */
  abandon(reason: string): void {
    const left = this.queue.length - this.queueStart;
    this.queue = [];
    this.queueStart = 0;
    this.queuedChars = 0;
    if (left > 0) this.giveUp(left, reason);
  }

  /** The feed's counters. */
  stats(): FeedStats {
    return {
      written: this.written,
      overflowed: this.overflowed,
      queued: this.queue.length - this.queueStart,
      queuedPeak: this.queuedPeak,
      waitedMs: Math.round(this.waitedMs),
      lost: this.lost,
    };
  }

  /** Writes one entry into the ring now; false when it does not fit now. */
  private put(kind: EntryKind, text: string): boolean {
    const outcome = this.ring.write(kind, text);
    if (outcome === 'written') {
      this.written++;
      return true;
    }
    if (outcome === 'full') return false;
    // too large for the ring: the text goes on the side channel, a marker keeps its place
    if (this.ring.capacity - this.ring.used() < 4) return false;
    this.sendLarge(kind, text);
    this.ring.write(ENTRY_KIND.large, '');
    this.written++;
    return true;
  }

  /** Moves queued entries into the ring while they fit. */
  private moveQueued(): void {
    let moved = false;
    while (this.queueStart < this.queue.length) {
      const entry = this.queue[this.queueStart]!;
      if (!this.put(entry.kind, entry.text)) break;
      this.queuedChars -= entry.text.length;
      this.queue[this.queueStart] = undefined as unknown as { kind: EntryKind; text: string };
      this.queueStart++;
      moved = true;
    }
    if (this.queueStart === this.queue.length) {
      this.queue = [];
      this.queueStart = 0;
      this.queuedChars = 0;
    } else if (this.queueStart > 1024 && this.queueStart * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueStart);
      this.queueStart = 0;
    }
    if (moved) this.ring.wake();
  }

  /**
   * Blocks until the queue has room for `chars` more, within the wait bound. An entry larger than
   * the whole bound waits for the queue to empty and is then queued alone.
   */
  private waitForRoom(chars: number): boolean {
    const started = performance.now();
    const deadline = started + this.limits.maxWaitMs;
    const room = (): boolean => this.queuedChars === 0 || this.queuedChars + chars <= this.limits.overflowChars;
    while (!this.dead && !room() && performance.now() < deadline) {
      this.ring.waitForSpace(Math.min(50, Math.max(1, deadline - performance.now())));
      this.moveQueued();
    }
    this.waitedMs += performance.now() - started;
    return !this.dead && room();
  }

  /** While entries are queued, moves them into the ring from a timer. */
  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.moveQueued();
      if (this.queueStart < this.queue.length && !this.dead) this.schedule();
    }, 1);
    this.timer.unref();
  }

  /** Counts entries the worker took with it when it stopped (lost, as `thread.lost`). */
  countLost(count: number, reason: string): void {
    if (count > 0) this.giveUp(count, reason);
  }

  private giveUp(count: number, reason: string): void {
    this.lost += count;
    this.diagnostics.count(FEED_FAILURE.lost, reason, count);
  }
}
