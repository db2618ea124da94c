/**
 * Accounting for what the collector rejected: a partial success is counted; each record rejected
 * on its own is declared lost in a signed loss record (asked again while the signer cannot write
 * one) and counted, so that the gap it leaves in the backend is accounted loss, not a silent one.
 */
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import type { RecordLoss } from '../../record/loss-record.js';
import { LOSS_EVENT_NAME } from '../../record/record-kinds.js';
import { lossesOf, type BatchSettlement } from './batch-delivery.js';
import { SHIPPER_FAILURE, type LossDeclaration } from './shipper-status.js';

/** What the accounting needs from the shipper. */
export interface RejectionContext {
  readonly diagnostics: AuditDiagnostics;
  /** Signs a loss record (see `JournalShipperParams.declareLoss`); without it losses are only counted. */
  readonly declareLoss?: (loss: RecordLoss) => Promise<LossDeclaration>;
  stopping(): boolean;
  sleep(ms: number): Promise<void>;
  /** Wait before asking the signer again. */
  readonly retryMs: number;
}

/**
 * Counts what the collector rejected in a settled batch and declares the records it rejected on
 * their own as lost. False when the shipper stopped before every loss could be declared (the
 * batch is then shipped, rejected and declared again later).
 */
export async function accountRejections(ctx: RejectionContext, settlement: BatchSettlement): Promise<boolean> {
  const { diagnostics } = ctx;
  const { losses, undeclarable } = lossesOf(settlement.rejected, LOSS_EVENT_NAME);
  for (const loss of losses) {
    const why = settlement.rejected.find(
      (r) => r.entry.stream === loss.stream && (r.entry.seq as number) >= loss.from,
    )?.error;
    const outcome = await declare(ctx, loss);
    if (outcome === 'stopped') return false;
    diagnostics.count(
      SHIPPER_FAILURE.rejected,
      `the collector rejected ${loss.count} record(s) of stream ${loss.stream} (seq ${loss.from}-${loss.to}): ${why ?? loss.reason}; ` +
        (outcome === 'declared' ? 'declared in a signed loss record' : 'NOT declared: nothing signs loss records here'),
    );
  }
  for (const r of undeclarable) {
    diagnostics.count(
      SHIPPER_FAILURE.rejected,
      `the collector rejected a line that cannot be declared as loss (${r.entry.event === LOSS_EVENT_NAME ? 'a loss record' : 'no stream and seq'}${r.entry.seq !== undefined ? `, seq ${r.entry.seq}` : ''}): ${r.error}`,
    );
  }
  if (settlement.partiallyRejected > 0) {
    const said = settlement.partialMessages[0];
    diagnostics.count(
      SHIPPER_FAILURE.rejected,
      `the collector accepted a batch but dropped ${settlement.partiallyRejected} record(s) of it (OTLP partial success${said ? ': ' + said : ''}); which ones it did not say`,
    );
  }
  return true;
}

/** Declares `loss`, asking again while the signer cannot write it; `stopped` when the shipper stopped first. */
async function declare(ctx: RejectionContext, loss: RecordLoss): Promise<'declared' | 'unavailable' | 'stopped'> {
  for (;;) {
    let outcome: LossDeclaration;
    try {
      outcome = (await ctx.declareLoss?.(loss)) ?? 'unavailable';
    } catch {
      outcome = 'failed';
    }
    if (outcome !== 'failed') return outcome;
    if (ctx.stopping()) return 'stopped';
    await ctx.sleep(ctx.retryMs);
  }
}
