/**
 * Options of the local signed journal (seed names, camelCased) and their defaults.
 */

/** When the journal asks the OS to put written bytes on stable storage. */
export type FsyncPolicy = 'never' | 'batch';

/** Options of {@link openJournal}. Every field is optional. */
export interface JournalOptions {
  /** Path of the active journal file. Default `logs/audit.log`. */
  readonly auditFile?: string;
  /** Size (MiB, fractions allowed) at which the active file is rotated. Default 50. */
  readonly maxFileSizeMb?: number;
  /** Rotated segments older than this many days (by segment time) are deleted. Default 90. */
  readonly retentionDays?: number;
  /** Rotate the active file at `maxFileSizeMb`. Default true. */
  readonly enableRotation?: boolean;
  /** Buffered records are written at most this many ms after they were emitted. Default 200. */
  readonly flushIntervalMs?: number;
  /** `'never'` (default): rely on the OS page cache; `'batch'`: `fdatasync` after every written batch. */
  readonly fsync?: FsyncPolicy;
  /** gzip rotated segments (`.log.gz`). Default true. */
  readonly compress?: boolean;
  /**
   * gzip level of rotated segments, 1 (fastest) to 9 (smallest). Default 1: on journal lines about
   * 2.5× less CPU than level 6, for files about a fifth larger (see docs/journal.md).
   */
  readonly compressionLevel?: number;
  /**
   * Most bytes held in memory waiting to be written. Records arriving beyond it are not buffered
   * and are counted as `journal.overflow` (the verifier then reports the gap). Default 64 MiB.
   */
  readonly maxBufferBytes?: number;
  /** A batch is written at once (without waiting for the interval) when the buffer reaches this. Default 1 MiB. */
  readonly flushAtBytes?: number;
}

/** {@link JournalOptions} with every default applied. */
export interface ResolvedJournalOptions {
  readonly auditFile: string;
  readonly maxFileBytes: number;
  readonly retentionDays: number;
  readonly enableRotation: boolean;
  readonly flushIntervalMs: number;
  readonly fsync: FsyncPolicy;
  readonly compress: boolean;
  readonly compressionLevel: number;
  readonly maxBufferBytes: number;
  readonly flushAtBytes: number;
}

/** gzip level of rotated segments unless configured: the fastest. */
export const DEFAULT_COMPRESSION_LEVEL = 1;

/** Default path of the active journal file (seed). */
export const DEFAULT_AUDIT_FILE = 'logs/audit.log';

/** Applies defaults and checks ranges; throws `RangeError` on nonsensical values (a configuration error). */
export function resolveJournalOptions(options: JournalOptions = {}): ResolvedJournalOptions {
  const maxFileSizeMb = options.maxFileSizeMb ?? 50;
  const retentionDays = options.retentionDays ?? 90;
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxBufferBytes = options.maxBufferBytes ?? 64 * 1024 * 1024;
  const flushAtBytes = options.flushAtBytes ?? 1024 * 1024;
  positive('maxFileSizeMb', maxFileSizeMb);
  positive('retentionDays', retentionDays);
  positive('flushIntervalMs', flushIntervalMs);
  positive('maxBufferBytes', maxBufferBytes);
  positive('flushAtBytes', flushAtBytes);
  const compressionLevel = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(compressionLevel) || compressionLevel < 1 || compressionLevel > 9)
    throw new RangeError(
      `journal option compressionLevel must be an integer from 1 to 9, got ${String(compressionLevel)}`,
    );
  const fsync = options.fsync ?? 'never';
  if (fsync !== 'never' && fsync !== 'batch')
    throw new RangeError(`journal fsync must be 'never' or 'batch', got ${String(fsync)}`);
  return {
    auditFile: options.auditFile ?? DEFAULT_AUDIT_FILE,
    maxFileBytes: Math.max(1, Math.floor(maxFileSizeMb * 1024 * 1024)),
    retentionDays,
    enableRotation: options.enableRotation ?? true,
    flushIntervalMs,
    fsync,
    compress: options.compress ?? true,
    compressionLevel,
    maxBufferBytes,
    flushAtBytes,
  };
}

function positive(name: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(`journal option ${name} must be a positive number, got ${String(value)}`);
  }
}
