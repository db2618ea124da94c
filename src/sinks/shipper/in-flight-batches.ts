/**
 * The batches the shipper has sent and the collector has not settled yet, oldest first. They are
 * settled in the order they were read, so the cursor only ever moves past lines whose records
 * were all accepted, or rejected and declared lost.
 */
import type { ShippedRecord } from './cursor.js';
import type { BatchSettlement } from './batch-delivery.js';
import { accountRejections, type RejectionContext } from './rejections.js';

/** A batch sent and not yet settled, with the cursor that follows it. */
export interface InFlightBatch {
  /** Journal lines the batch covers (records and lines that are not records). */
  readonly lines: number;
  /** Records sent. */
  readonly records: number;
  /** The file, its first-line fingerprint and the offset just after the batch's last line. */
  readonly file: string;
  readonly head: string;
  readonly offset: number;
  /** The batch's last record, when it has one. */
  readonly last?: ShippedRecord;
  /** Settled when the collector accepted or rejected each record (or the shipper stopped). */
  readonly acknowledged: Promise<BatchSettlement>;
}

/** Batches out, settled in order. */
export class InFlightBatches {
  private batches: InFlightBatch[] = [];

  /**
   * @param rejections what accounting for rejected records needs ({@link accountRejections})
   * @param onSettled called for each batch settled and accounted, in order, with the number of
   *   its records the collector rejected
   */
  constructor(
    private readonly rejections: RejectionContext,
    private readonly onSettled: (batch: InFlightBatch, rejected: number) => void,
  ) {}

  /** Batches out. */
  get size(): number {
    return this.batches.length;
  }

  /** The oldest batch out. */
  oldest(): InFlightBatch | undefined {
    return this.batches[0];
  }

  add(batch: InFlightBatch): void {
    this.batches.push(batch);
  }

  /**
   * Waits for the oldest batch; when it is settled and its rejections accounted for, hands it to
   * `onSettled`. False when the shipper stopped first: that batch and the ones after it are
   * forgotten, unacknowledged (shipped again later).
   */
  async settleOldest(): Promise<boolean> {
    const batch = this.batches[0];
    if (!batch) return true;
    const settlement = await batch.acknowledged;
    if (!settlement.settled) {
      // stopping: this batch and the ones after it stay unacknowledged (shipped again later)
      this.batches = [];
      return false;
    }
    if (!(await accountRejections(this.rejections, settlement))) {
      // stopping before the rejected records were declared: the batch is shipped (and rejected, and declared) again later
      this.batches = [];
      return false;
    }
    this.batches.shift();
    this.onSettled(batch, settlement.rejected.length + settlement.partiallyRejected);
    return true;
  }

  /** Waits for every batch out (see {@link settleOldest}). */
  async settleAll(): Promise<void> {
    while (this.batches.length > 0) if (!(await this.settleOldest())) return;
  }
}
