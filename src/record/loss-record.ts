/**
 * The loss record (names in `record-kinds.ts`): a signed record, chained in its stream like any other, that a writer emits
 * once writing works again after records could not be written (buffer overflow, encoding
 * failure). It names the stream and the sequence range of the records lost and how many there
 * were, so a verifier reports that gap as accounted loss instead of as missing records.
 */
import type { AuditRecordContent } from './audit-record.js';
import { LOSS_ATTR, LOSS_EVENT_NAME } from './record-kinds.js';

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
  if (typeof stream !== 'string' || !isSeq(from) || !isSeq(to) || !isSeq(count) || to < from || count > to - from + 1)
    return undefined;
  return { stream, from, to, count, reason: typeof reason === 'string' ? reason : '' };
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
