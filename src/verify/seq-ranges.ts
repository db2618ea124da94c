/**
 * The set of sequence numbers seen in a stream, kept as sorted disjoint ranges so that memory
 * grows with the number of gaps, not with the number of records. In-order insertion is O(1).
 */

/** An inclusive range of sequence numbers. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

/** Sorted, merged ranges of sequence numbers. */
export class SeqRanges {
  private readonly ranges: { from: number; to: number }[] = [];

  /** Whether `seq` was added. */
  has(seq: number): boolean {
    const i = this.indexAtOrBefore(seq);
    return i >= 0 && (this.ranges[i] as SeqRange).to >= seq;
  }

  /** Adds `seq`; returns false when it was already present. */
  add(seq: number): boolean {
    const r = this.ranges;
    const last = r[r.length - 1];
    if (last && seq === last.to + 1) {
      last.to = seq;
      return true;
    }
    if (!last || seq > last.to + 1) {
      r.push({ from: seq, to: seq });
      return true;
    }
    const i = this.indexAtOrBefore(seq);
    const before = i >= 0 ? r[i] : undefined;
    if (before && before.to >= seq) return false;
    const after = r[i + 1];
    const joinsBefore = before !== undefined && before.to + 1 === seq;
    const joinsAfter = after !== undefined && after.from - 1 === seq;
    if (joinsBefore && joinsAfter) {
      before.to = after.to;
      r.splice(i + 1, 1);
    } else if (joinsBefore) before.to = seq;
    else if (joinsAfter) after.from = seq;
    else r.splice(i + 1, 0, { from: seq, to: seq });
    return true;
  }

  /** Smallest sequence number, if any. */
  min(): number | undefined {
    return this.ranges[0]?.from;
  }

  /** Largest sequence number, if any. */
  max(): number | undefined {
    return this.ranges[this.ranges.length - 1]?.to;
  }

  /** The gaps between the ranges (never before the first or after the last). */
  gaps(): SeqRange[] {
    const out: SeqRange[] = [];
    for (let i = 1; i < this.ranges.length; i++) {
      out.push({ from: (this.ranges[i - 1] as SeqRange).to + 1, to: (this.ranges[i] as SeqRange).from - 1 });
    }
    return out;
  }

  /** A copy without the given sequence numbers. */
  without(excluded: ReadonlySet<number>): SeqRanges {
    const out = new SeqRanges();
    if (excluded.size === 0) {
      for (const r of this.ranges) out.ranges.push({ from: r.from, to: r.to });
      return out;
    }
    const cuts = [...excluded].sort((a, b) => a - b);
    for (const r of this.ranges) {
      let from = r.from;
      for (const cut of cuts) {
        if (cut < from || cut > r.to) continue;
        if (cut > from) out.ranges.push({ from, to: cut - 1 });
        from = cut + 1;
      }
      if (from <= r.to) out.ranges.push({ from, to: r.to });
    }
    return out;
  }

  /** Index of the last range starting at or before `seq`, −1 when none. */
  private indexAtOrBefore(seq: number): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ranges[mid] as SeqRange).from <= seq) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}
