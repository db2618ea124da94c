/**
 * Options of thread mode (`createAuditLogger({ thread: true })`): the audit pipeline runs in a
 * worker thread fed through a shared ring buffer.
 */
import { DEFAULT_SINK_TIMEOUT_MS } from '../logger/sink-fanout.js';

/** Settings of thread mode; every field is optional. */
export interface ThreadOptions {
  /** Size of the shared ring in bytes (rounded up to a power of two; default 4 MiB). */
  readonly ringBytes?: number;
  /**
   * Most UTF-16 code units of records kept in the app thread while the ring is full (default
   * 8 Mi, about 16 MiB); beyond it, helper calls wait for the worker (bounded by `maxWaitMs`). A
   * single record larger than this waits for the queue to empty and is then queued alone.
   */
  readonly overflowChars?: number;
  /** Longest a helper call waits for ring space when the overflow queue is full (ms, default 5000). */
  readonly maxWaitMs?: number;
  /** Longest `createAuditLogger` waits for the worker to start (ms, default 10000). */
  readonly startTimeoutMs?: number;
  /** Longest the process waits at exit for the worker to write what it was handed (ms, default 5000). */
  readonly exitWaitMs?: number;
  /**
   * Longest `forceFlush()`, `shutdown()` and queries wait for an audit worker that shows no sign of
   * life (ms, default 5000): a worker answering a request signals several times a second, also
   * while its sinks wait on the network. Past this, it counts as hung (`thread.worker`): a flush
   * or query resolves without it, and a shutdown stops it and counts every record not known to be
   * written as `thread.lost`.
   */
  readonly hangTimeoutMs?: number;
  /**
   * Longest `forceFlush()` and `shutdown()` wait for the audit worker to finish a flush or shutdown
   * while it does show signs of life (ms, default 65000: the worker's sinks are each waited for at
   * most 60 s, as in process). Past this, the stall counts as `thread.worker`: a flush resolves
   * without it, and a shutdown stops the worker and counts every record not known to be written as
   * `thread.lost`.
   */
  readonly flushTimeoutMs?: number;
}

/** Thread options with every default applied. */
export type ResolvedThreadOptions = Required<ThreadOptions>;

const DEFAULTS: ResolvedThreadOptions = {
  ringBytes: 4 * 1024 * 1024,
  overflowChars: 8 * 1024 * 1024,
  maxWaitMs: 5000,
  startTimeoutMs: 10_000,
  exitWaitMs: 5000,
  hangTimeoutMs: 5000,
  flushTimeoutMs: DEFAULT_SINK_TIMEOUT_MS + 5000,
};

/** `options` over the defaults; throws `RangeError` on a value that is not a positive number. */
export function resolveThreadOptions(options: ThreadOptions | true): ResolvedThreadOptions {
  const given = options === true ? {} : options;
  const out: Record<string, number> = { ...DEFAULTS };
  for (const [key, value] of Object.entries(given) as [keyof ThreadOptions, unknown][]) {
    if (!(key in DEFAULTS)) throw new RangeError(`thread: unknown option "${key}"`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new RangeError(`thread.${key} must be a positive number, got ${String(value)}`);
    out[key] = value;
  }
  return out as ResolvedThreadOptions;
}
