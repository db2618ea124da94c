/**
 * Retention that waits for the shipper: an expired segment the shipper has not finished is kept
 * while the shipper's lag is within `maxLagSeconds`. Past that limit it is deleted anyway, and
 * what it held unsent is declared first, as signed loss records (one per stream and run of
 * sequence numbers, reason `retention`), so that a verifier reading the backend reports those
 * records as accounted loss rather than as missing.
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { isSignedRecord } from '../../record/audit-record.js';
import type { LossRecorder, RecordLoss } from '../../record/loss-record.js';
import { errorCodeText } from '../../events/error-text.js';
import type { JournalLayout, JournalSegment } from '../journal/layout.js';
import type { RetentionGuard } from '../journal/retention.js';
import { loadCursor } from './cursor.js';
import { JournalFileLines } from './file-lines.js';
import { JournalFiles } from './journal-files.js';

/** Reason written into loss records of segments deleted unsent. */
export const RETENTION_LOSS_REASON = 'retention';

/** Diagnostics kinds of the guard. */
export const RETENTION_GUARD = {
  /** An expired segment was kept because the shipper has not sent it yet. */
  held: 'shipper.retention-held',
  /** An expired segment was deleted unsent (lag over the limit); loss records were written. */
  lost: 'shipper.retention-loss',
} as const;

/** What the guard needs. */
export interface RetentionGuardParams {
  readonly layout: JournalLayout;
  readonly cursorPath: string;
  /** The shipper's current lag in seconds. */
  readonly secondsBehind: () => number;
  readonly maxLagSeconds: number;
  /** Signs the loss records into the current stream (the signing processor). */
  readonly recorder: () => LossRecorder | undefined;
  readonly diagnostics: AuditDiagnostics;
}

/** A {@link RetentionGuard} for a journal whose records a shipper sends. */
export function shipperRetentionGuard(params: RetentionGuardParams): RetentionGuard {
  const files = new JournalFiles(params.layout);
  return async (expired) => {
    const cursor = await loadCursor(params.cursorPath).catch(() => undefined);
    const listed = await files.list();
    const cursorIndex = cursor ? await files.indexOf(listed, cursor.head, cursor.file) : -1;
    const lagging = params.secondsBehind() > params.maxLagSeconds;
    const deletable: JournalSegment[] = [];
    for (const segment of expired) {
      const index = listed.findIndex((f) => f.path === segment.path);
      if (index < 0) continue;
      if (cursorIndex >= 0 && index < cursorIndex) {
        deletable.push(segment); // shipped completely
        continue;
      }
      if (!lagging) {
        params.diagnostics.count(
          RETENTION_GUARD.held,
          `${segment.name} expired but not shipped yet; kept (lag within ${params.maxLagSeconds} s)`,
        );
        continue;
      }
      const offset = index === cursorIndex && cursor ? cursor.offset : 0;
      let losses: RecordLoss[];
      try {
        losses = await unshippedRuns(segment, offset);
      } catch (err) {
        params.diagnostics.count(
          RETENTION_GUARD.held,
          `${segment.name}: cannot list its unsent records (${errorCodeText(err)}); kept`,
        );
        continue;
      }
      const recorder = params.recorder();
      let declared = true;
      for (const loss of losses) declared = (recorder?.recordLoss(loss) ?? false) && declared;
      if (!declared) {
        params.diagnostics.count(RETENTION_GUARD.held, `${segment.name}: the loss record could not be signed; kept`);
        continue;
      }
      const count = losses.reduce((n, l) => n + l.count, 0);
      params.diagnostics.count(
        RETENTION_GUARD.lost,
        `${segment.name} deleted by retention with ${count} record(s) never shipped (lag over ${params.maxLagSeconds} s); declared in ${losses.length} loss record(s)`,
      );
      deletable.push(segment);
    }
    return deletable;
  };
}

/** The records of `segment` after `offset`, as runs of consecutive seqs per stream. */
export async function unshippedRuns(segment: JournalSegment, offset: number): Promise<RecordLoss[]> {
  const reader = await JournalFileLines.open(segment, offset);
  if (!reader) return [];
  const runs: RecordLoss[] = [];
  const open = new Map<string, { from: number; to: number }>();
  const close = (stream: string): void => {
    const run = open.get(stream);
    if (run)
      runs.push({ stream, from: run.from, to: run.to, count: run.to - run.from + 1, reason: RETENTION_LOSS_REASON });
    open.delete(stream);
  };
  try {
    for (;;) {
      const lines = await reader.readLines(4096);
      if (lines.length === 0) break;
      for (const { text } of lines) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          continue;
        }
        if (!isSignedRecord(parsed)) continue;
        const { stream, seq } = parsed.rec;
        const run = open.get(stream);
        if (run && seq === run.to + 1) run.to = seq;
        else {
          close(stream);
          open.set(stream, { from: seq, to: seq });
        }
      }
    }
  } finally {
    await reader.close();
  }
  for (const stream of [...open.keys()]) close(stream);
  return runs;
}
