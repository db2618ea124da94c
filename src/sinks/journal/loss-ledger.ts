/**
 * What the journal could not write, per stream: sequence range, count and reasons, kept until a
 * signed loss record can be written for it.
 */
import type { RecordLoss } from '../../record/loss-record.js';

/** Where a signed record sits: its stream and sequence number. */
export interface RecordPosition {
  readonly stream: string;
  readonly seq: number;
}

interface OpenLoss {
  from: number;
  to: number;
  count: number;
  readonly reasons: Set<string>;
}

/** Lost records waiting to be declared. */
export class LossLedger {
  private readonly byStream = new Map<string, OpenLoss>();

  /** Whether nothing is waiting. */
  get empty(): boolean {
    return this.byStream.size === 0;
  }

  /** Records waiting to be declared, over all streams. */
  get records(): number {
    let n = 0;
    for (const loss of this.byStream.values()) n += loss.count;
    return n;
  }

  /** Notes one lost record. */
  note(position: RecordPosition, reason: string): void {
    const open = this.byStream.get(position.stream);
    if (!open) {
      this.byStream.set(position.stream, {
        from: position.seq,
        to: position.seq,
        count: 1,
        reasons: new Set([reason]),
      });
      return;
    }
    open.from = Math.min(open.from, position.seq);
    open.to = Math.max(open.to, position.seq);
    open.count++;
    open.reasons.add(reason);
  }

  /** Every waiting loss, one per stream; the ledger is empty afterwards. */
  take(): RecordLoss[] {
    const out: RecordLoss[] = [];
    for (const [stream, l] of this.byStream)
      out.push({ stream, from: l.from, to: l.to, count: l.count, reason: [...l.reasons].sort().join(',') });
    this.byStream.clear();
    return out;
  }
}
