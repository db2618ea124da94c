/**
 * Opening the local journal: take the single-writer lock, inspect what a previous process left
 * (torn last line, head of the last stream), finish interrupted segment maintenance, and return
 * the sink processor that the AuditLogger wires up (its query source reads what it wrote).
 */
import { AuditDiagnostics } from '../../events/diagnostics.js';
import type { LossRecorder } from '../../record/loss-record.js';
import type { RemovalRecorder } from '../../record/retention-record.js';
import type { StreamHead } from '../../record/stream-head.js';
import { JournalAppender, type AppenderStats } from './appender.js';
import { JOURNAL_FAILURE } from './journal-failures.js';
import { JournalLockedError } from './errors.js';
import { JournalProcessor } from './journal-processor.js';
import { JournalLayout } from './layout.js';
import { resolveJournalOptions, type JournalOptions, type ResolvedJournalOptions } from './options.js';
import { inspectJournal, type JournalInspection } from './recovery.js';
import type { RetentionGuard } from './retention.js';
import { compressSegment, recoverSegments } from './rotation.js';
import { JournalWriterLock } from './writer-lock.js';
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { errorCodeText } from '../../events/error-text.js';

/** An opened journal: its sink processor and what the pipeline wires around it. */
export interface OpenedJournal {
  /** The resolved options in force. */
  readonly options: ResolvedJournalOptions;
  /** Absolute path of the active file. */
  readonly activePath: string;
  /** Path of the writer lock file (`<activePath>.lock`), held until the processor shuts down. */
  readonly lockPath: string;
  /** What opening found (torn last line, previous head). */
  readonly inspection: JournalInspection;
  /** Sink processor, with `forceFlush` / `shutdown`: place it after the signing processor. */
  readonly processor: JournalProcessor;
  /** Head of the last stream found in the journal when it was opened, if any. */
  previousHead(): StreamHead | undefined;
  /**
   * Writes what is buffered (a query source over this journal runs it before each read, so it
   * sees every record emitted so far).
   */
  flush(): Promise<void>;
  /** Writer counters. */
  statistics(): AppenderStats;
  /** Resolves when queued gzip / retention work has finished (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Has every retention sweep write a signed retention record (through `recorder`, into the
   * stream being written) and flush it before deleting expired segments; when the record cannot
   * be written, the segments are kept. Without it, expired segments are deleted unrecorded.
   */
  recordRemovalsWith(recorder: RemovalRecorder): void;
  /**
   * Lets the journal declare records it could not write (buffer overflow while the disk failed)
   * as a signed loss record in `signer`'s stream, written as soon as writing works again and
   * before the shutdown seal. Call it with the signing processor placed before the journal.
   */
  bindSigner(signer: JournalSigner): void;
  /**
   * Lets `guard` keep expired segments from retention (a shipper that has not sent them yet);
   * set it right after opening, before the first sweep runs.
   */
  setRetentionGuard(guard: RetentionGuard): void;
}

/** What the journal needs from the signing processor to declare loss. */
export interface JournalSigner extends LossRecorder {
  /** Registers a hook run right before the shutdown seal is signed. */
  onBeforeShutdownSeal(hook: () => void): unknown;
  /**
   * Called right before a batch is written (public-key mode seals what it holds); `safe` is true
   * when no record is being delivered to the sinks (timer, explicit flush).
   */
  sealForBatch?(safe: boolean): void;
}

/**
 * Opens the journal at `options.auditFile` for writing: creates its directory and takes the
 * writer lock `<auditFile>.lock` (released when the processor shuts down, or at process exit);
 * the active file is created on first write.
 * Throws on invalid options (`RangeError`) and when another writer holds the journal
 * ({@link JournalLockedError}, taken over instead when its owner is gone). Other I/O problems
 * are counted in `diagnostics` and retried (the lock then before the first write).
 */
export function openJournal(
  options: JournalOptions = {},
  diagnostics: AuditDiagnostics = new AuditDiagnostics(),
): OpenedJournal {
  const resolved = resolveJournalOptions(options);
  const layout = new JournalLayout(resolved.auditFile);
  const lock = new JournalWriterLock(layout.activePath, diagnostics);
  try {
    mkdirSync(layout.dir, { recursive: true });
    lock.acquire();
  } catch (err) {
    if (err instanceof JournalLockedError) throw err;
    diagnostics.count(
      JOURNAL_FAILURE.lock,
      `cannot take the writer lock at open, will retry before the first write: ${errorCodeText(err)}`,
    );
  }
  try {
    return start(resolved, layout, lock, diagnostics);
  } catch (err) {
    lock.release();
    throw err;
  }
}

function start(
  resolved: ResolvedJournalOptions,
  layout: JournalLayout,
  lock: JournalWriterLock,
  diagnostics: AuditDiagnostics,
): OpenedJournal {
  let inspection: JournalInspection = { activeSize: 0, problems: [] };
  try {
    inspection = inspectJournal(layout.listSync());
  } catch (err) {
    diagnostics.count(JOURNAL_FAILURE.read, `inspecting journal at open: ${errorCodeText(err)}`);
  }
  for (const problem of inspection.problems)
    diagnostics.count(JOURNAL_FAILURE.read, `looking for the previous stream head: ${problem}`);
  if (inspection.tornTail) {
    diagnostics.count(
      JOURNAL_FAILURE.tornLine,
      `${resolved.auditFile}: last line torn by a crash (${inspection.tornTail.length} bytes at offset ${inspection.tornTail.offset}); new records start on a new line`,
    );
  }
  const appender = new JournalAppender(layout, resolved, diagnostics, lock);
  if (lock.held) {
    // Without the lock (it could not be taken yet) another writer may be rotating: leave its segments alone.
    void appender.maintenance.run('compress', async () => {
      const pending = await recoverSegments(layout, await readdir(layout.dir).catch(() => []));
      if (!resolved.compress) return;
      for (const plain of pending) await compressSegment(plain, resolved.compressionLevel);
    });
    // runs after the current task: by then a pipeline built around this journal has bound its signer
    void appender.maintenance.run('retention', () => appender.maintenance.sweepExpired());
  }
  const processor = new JournalProcessor(appender, diagnostics);
  const head: StreamHead | undefined = inspection.head;
  return {
    processor,
    flush: () => appender.flush(),
    options: resolved,
    activePath: layout.activePath,
    lockPath: lock.lockPath,
    inspection,
    previousHead: () => head,
    statistics: () => appender.statistics(),
    idle: () => appender.maintenance.idle(),
    recordRemovalsWith: (recorder) => {
      appender.maintenance.recording = { recorder: () => recorder, flush: () => appender.flush() };
    },
    setRetentionGuard: (guard) => appender.maintenance.setGuard(guard),
    bindSigner: (signer) => {
      appender.bindLossRecorder(signer);
      signer.onBeforeShutdownSeal(() => appender.settleLoss());
      if (signer.sealForBatch) appender.batchSealer = (safe) => signer.sealForBatch?.(safe);
    },
  };
}
