/**
 * The loss record: a signed record, chained in its stream like any other, that a writer emits
 * once writing works again after records could not be written (buffer overflow, encoding
 * failure). It names the stream and the sequence range of the records lost and how many there
 * were, so a verifier reports that gap as accounted loss instead of as missing records.
 */
import type { AuditRecordContent } from './audit-record.js';

/** Event name of loss records. */
export const LOSS_EVENT_NAME = 'audit.loss';

/** Attribute keys of a loss record's content. */
export const LOSS_ATTR = {
  /** Stream whose records were lost. */
  stream: 'audit.loss.stream',
  /** First lost sequence number. */
  from: 'audit.loss.from',
  /** Last lost sequence number. */
  to: 'audit.loss.to',
  /** Records lost within `from`..`to` (records in that range that were written are not counted). */
  count: 'audit.loss.count',
  /** Why: `overflow` (write buffer full), `encode` (record could not be turned into a line), or both, comma-separated. */
  reason: 'audit.loss.reason',
} as const;

/** Records of one stream that a writer could not write. */
export interface RecordLoss {
  readonly stream: string;
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly reason: string;
}

/** Something that writes a signed loss record into the stream being written (the signing processor). */
export interface LossRecorder {
  /** Emits the loss record; returns whether it was signed into the stream. Never throws. */
  recordLoss(loss: RecordLoss): boolean;
}

/** The loss a record's content declares, or `undefined` when it is not a well-formed loss record. */
export function lossOf(rec: AuditRecordContent): RecordLoss | undefined {
  if (rec.event !== LOSS_EVENT_NAME) return undefined;
  const a = rec.attrs;
  const stream = a[LOSS_ATTR.stream];
  const from = a[LOSS_ATTR.from];
  const to = a[LOSS_ATTR.to];
  const count = a[LOSS_ATTR.count];
  const reason = a[LOSS_ATTR.reason];
  if (typeof stream !== 'string' || !isSeq(from) || !isSeq(to) || !isSeq(count) || to < from || count > to - from + 1) return undefined;
  return { stream, from, to, count, reason: typeof reason === 'string' ? reason : '' };
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
