/**
 * Accounted loss: gaps in a stream that a validly signed loss record declares. A writer that could
 * not write some records (write buffer full while the disk failed) says so in a loss record
 * (stream, seq range, count), signed and chained like any record. A gap inside such a range, with
 * no more records missing there than the record counts, is `accounted-loss`; any other gap stays
 * `missing` (tampering). Loss records cannot be forged without the key, and deleting one turns its
 * gap back into `missing`.
 */
import type { RecordLoss } from '../record/loss-record.js';
import type { SeqRange } from './seq-ranges.js';

/** A loss record as the verifier found it. */
export interface LossClaim extends RecordLoss {
  /** Where the loss record is. */
  readonly location: string;
}

/** How one gap of a stream is judged. */
export interface GapVerdict {
  readonly from: number;
  readonly to: number;
  /** The loss record accounting for it, when one does. */
  readonly claim?: LossClaim;
  /** Why a gap inside a claimed range is still missing. */
  readonly excess?: string;
}

/**
 * Judges the gaps of one stream against its loss claims. A gap is accounted for when it lies
 * wholly inside one claim's range and all gaps inside that range together are no more than its
 * count. Gaps are split at claim boundaries, so a gap that only partly overlaps a claim is
 * accounted for in the overlap and missing elsewhere.
 */
export function judgeGaps(gaps: readonly SeqRange[], claims: readonly LossClaim[]): GapVerdict[] {
  if (claims.length === 0) return gaps.map((g) => ({ from: g.from, to: g.to }));
  const pieces: { from: number; to: number; claim?: LossClaim }[] = [];
  for (const gap of gaps) {
    let from = gap.from;
    const overlapping = claims.filter((c) => c.to >= gap.from && c.from <= gap.to).sort((a, b) => a.from - b.from);
    for (const claim of overlapping) {
      if (claim.from > from) pieces.push({ from, to: Math.min(gap.to, claim.from - 1) });
      const start = Math.max(from, claim.from);
      const end = Math.min(gap.to, claim.to);
      if (end >= start) pieces.push({ from: start, to: end, claim });
      from = Math.max(from, end + 1);
      if (from > gap.to) break;
    }
    if (from <= gap.to) pieces.push({ from, to: gap.to });
  }
  const missingPerClaim = new Map<LossClaim, number>();
  for (const p of pieces)
    if (p.claim) missingPerClaim.set(p.claim, (missingPerClaim.get(p.claim) ?? 0) + p.to - p.from + 1);
  return pieces.map((p) => {
    if (!p.claim) return { from: p.from, to: p.to };
    const missing = missingPerClaim.get(p.claim) ?? 0;
    if (missing <= p.claim.count) return { from: p.from, to: p.to, claim: p.claim };
    return {
      from: p.from,
      to: p.to,
      excess: `${missing} record(s) missing in seq ${p.claim.from}-${p.claim.to}, but the loss record at ${p.claim.location} declares only ${p.claim.count}`,
    };
  });
}
