/**
 * Delivering one batch of journal entries until the peer has settled every record of it: retried
 * with back-off (or the peer's `Retry-After`) while the answer is retryable, split in halves when
 * the peer rejects the data (HTTP 400 / 413) until the records it rejects are isolated, so that
 * everything else is delivered. What the peer rejects permanently is returned, for the shipper to
 * declare as loss; a partial success (records dropped without saying which) is counted.
 */
import { backoffDelayMs } from '../webhooks/backoff.js';
import type { ShipEntry, OtlpLogEncoding } from './otlp-encoding.js';
import type { LogBatchSender, SendOutcome } from './otlp-sender.js';
import type { RecordLoss } from '../../record/loss-record.js';

/** Longest wait a peer's `Retry-After` can impose (ms). */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Reason of loss records of records the peer rejected. */
export const REJECTED_LOSS_REASON = 'rejected';

/** One record the peer rejected on its own. */
export interface RejectedEntry {
  readonly entry: ShipEntry;
  readonly status: number;
  readonly error: string;
}

/** How a batch was settled. */
export interface BatchSettlement {
  /** False when the shipper stopped first (nothing of the batch counts as settled). */
  readonly settled: boolean;
  /** Records rejected on their own (isolated by splitting). */
  readonly rejected: readonly RejectedEntry[];
  /** Records a partial success said were dropped (which ones is unknown). */
  readonly partiallyRejected: number;
  /** The messages of those partial successes. */
  readonly partialMessages: readonly string[];
}

/** What delivery needs from the shipper. */
export interface DeliveryContext {
  readonly sender: LogBatchSender;
  readonly encoding: OtlpLogEncoding;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** True once the shipper is stopping. */
  stopping(): boolean;
  /** Waits `ms`, cut short when the shipper stops. */
  sleep(ms: number): Promise<void>;
  /** Called after each request: its outcome and the number of records it carried. */
  onOutcome(outcome: SendOutcome, records: number, attempt: number): void;
}

/** Delivers `entries`; resolves when each record is accepted or rejected, or when stopping. */
export async function deliverBatch(ctx: DeliveryContext, entries: readonly ShipEntry[]): Promise<BatchSettlement> {
  const rejected: RejectedEntry[] = [];
  const partialMessages: string[] = [];
  let partiallyRejected = 0;
  const deliver = async (part: readonly ShipEntry[]): Promise<boolean> => {
    for (let attempt = 1; ; attempt++) {
      if (ctx.stopping()) return false;
      const outcome = await ctx.sender.send(ctx.encoding.request(part), ctx.encoding.contentType);
      ctx.onOutcome(outcome, part.length, attempt);
      switch (outcome.kind) {
        case 'accepted':
          if (outcome.rejected > 0) {
            partiallyRejected += Math.min(outcome.rejected, part.length);
            if (outcome.message) partialMessages.push(outcome.message);
          }
          return true;
        case 'rejected': {
          if (part.length === 1) {
            rejected.push({ entry: part[0] as ShipEntry, status: outcome.status, error: outcome.error });
            return true;
          }
          const mid = Math.ceil(part.length / 2);
          return (await deliver(part.slice(0, mid))) && deliver(part.slice(mid));
        }
        case 'retry':
          await ctx.sleep(
            Math.min(
              MAX_RETRY_AFTER_MS,
              Math.max(
                outcome.retryAfterMs ?? 0,
                ctx.retryInitialMs + backoffDelayMs(attempt, ctx.retryInitialMs, ctx.retryMaxMs),
              ),
            ),
          );
          break;
        case 'refused':
          await ctx.sleep(ctx.retryMaxMs);
          break;
      }
    }
  };
  const settled = await deliver(entries);
  return { settled, rejected, partiallyRejected, partialMessages };
}

/**
 * The losses to declare for rejected records: runs of consecutive seqs per stream. Records without
 * a stream and seq, and rejected loss records themselves (declaring those could go on forever),
 * are left out and returned apart.
 */
export function lossesOf(
  rejected: readonly RejectedEntry[],
  lossEvent: string,
): { losses: RecordLoss[]; undeclarable: RejectedEntry[] } {
  const losses: RecordLoss[] = [];
  const undeclarable: RejectedEntry[] = [];
  const sorted = rejected
    .filter((r) => {
      const ok = r.entry.stream !== undefined && r.entry.seq !== undefined && r.entry.event !== lossEvent;
      if (!ok) undeclarable.push(r);
      return ok;
    })
    .sort((a, b) =>
      a.entry.stream === b.entry.stream
        ? (a.entry.seq as number) - (b.entry.seq as number)
        : (a.entry.stream as string) < (b.entry.stream as string)
          ? -1
          : 1,
    );
  for (const r of sorted) {
    const stream = r.entry.stream as string;
    const seq = r.entry.seq as number;
    const reason = `${REJECTED_LOSS_REASON} (HTTP ${r.status})`;
    const last = losses[losses.length - 1];
    if (last && last.stream === stream && last.to === seq - 1 && last.reason === reason) {
      losses[losses.length - 1] = { ...last, to: seq, count: last.count + 1 };
    } else if (!(last && last.stream === stream && last.to === seq)) {
      losses.push({ stream, from: seq, to: seq, count: 1, reason });
    }
  }
  return { losses, undeclarable };
}
