/**
 * Background upkeep of the journal's segments, one task at a time after the ones queued before:
 * gzip of rotated segments (a segment that failed is tried again after the next rotation) and
 * retention sweeps (after each rotation, and hourly while the journal is written), asking the
 * retention guard and writing the retention record first when a signer is bound. A task that fails
 * is counted in the diagnostics; nothing here throws into the writer.
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { errorCodeText } from '../../events/error-text.js';
import { JOURNAL_FAILURE } from './journal-failures.js';
import { isNotFound, type JournalLayout } from './layout.js';
import type { ResolvedJournalOptions } from './options.js';
import { runRetention, type RetentionGuard, type RetentionRecording } from './retention.js';
import { compressSegment } from './rotation.js';

/** A writing journal also sweeps expired segments this often, rotation or not. */
const RETENTION_CHECK_MS = 3_600_000;

/** The queue of maintenance tasks of one journal. */
export class SegmentMaintenance {
  private chain: Promise<void> = Promise.resolve();
  private uncompressed: string[] = [];
  private lastRetentionAt = Date.now();
  private guard: RetentionGuard | undefined;
  /** How retention sweeps get their record written (set once a signer is bound to the journal). */
  recording: RetentionRecording | undefined;

  constructor(
    private readonly layout: JournalLayout,
    private readonly options: ResolvedJournalOptions,
    private readonly diagnostics: AuditDiagnostics,
  ) {}

  /** Lets `guard` keep expired segments from deletion (a shipper that has not sent them yet). */
  setGuard(guard: RetentionGuard): void {
    this.guard = guard;
  }

  /**
   * Deletes expired segments now (as after a rotation), asking the retention guard, after writing
   * their retention record when a signer is bound.
   */
  async sweepExpired(): Promise<string[]> {
    const sweep = await runRetention(
      this.layout,
      this.options.retentionDays,
      { recording: this.recording, guard: this.guard },
      this.diagnostics,
    );
    return [...sweep.deleted];
  }

  /** Queues `task` after the ones already queued; its failure is counted as `name`. */
  run(name: keyof typeof JOURNAL_FAILURE, task: () => Promise<unknown>): Promise<void> {
    this.chain = this.chain.then(task).then(
      () => undefined,
      (err: unknown) => this.diagnostics.count(JOURNAL_FAILURE[name], errorCodeText(err)),
    );
    return this.chain;
  }

  /** Resolves when every queued task has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Segments were rotated: compresses them (when configured) and sweeps expired ones. */
  rotated(segments: readonly string[]): void {
    if (this.options.compress) this.compressLater(segments);
    this.sweepLater();
  }

  /** A batch was written: sweeps expired segments when the last sweep is an hour old. */
  written(): void {
    if (Date.now() - this.lastRetentionAt > RETENTION_CHECK_MS) this.sweepLater();
  }

  /** Compresses rotated segments in the background; a failed one is tried again after the next rotation. */
  private compressLater(segments: readonly string[]): void {
    this.uncompressed.push(...segments);
    void this.run('compress', async () => {
      const todo = this.uncompressed;
      this.uncompressed = [];
      let failure: unknown;
      for (const segment of todo) {
        try {
          await compressSegment(segment, this.options.compressionLevel);
        } catch (err) {
          if (isNotFound(err)) continue;
          this.uncompressed.push(segment);
          failure ??= err;
        }
      }
      if (failure !== undefined) throw failure;
    });
  }

  /** Queues a retention sweep. */
  private sweepLater(): void {
    this.lastRetentionAt = Date.now();
    void this.run('retention', () => this.sweepExpired());
  }
}
