/**
 * The order of sealing-key epochs along the trail, which is what makes the keys forward-secure: a
 * key of epoch k must not sign anything placed before epoch k began. Within a stream, epochs
 * follow each other one by one, each new one only after the closing seal of the one before named
 * its key; across a link, a stream starts in the epoch its predecessor ended in (or the next one,
 * when the predecessor ended without closing, as after a crash at an epoch change). Whoever holds
 * only the current key and rewrites an earlier epoch's records must re-sign that epoch's seals
 * with the later key, which these rules report. See docs/integrity.md "Forward security".
 */
import type { Finding } from './report.js';

/** The epoch data of a validly Ed25519-signed record. */
export interface EpochMark {
  /** Key id of the root the record was sealed under. */
  readonly kid: string;
  readonly epoch: number;
  readonly key: string;
  /** The next epoch's key, on a closing seal. */
  readonly next?: { readonly epoch: number; readonly key: string };
}

interface Span {
  readonly kid: string;
  readonly epoch: number;
  readonly key: string;
  minSeq: number;
  minLocation: string;
  maxSeq: number;
  /** Another key seen for this epoch in this stream. */
  otherKey?: { seq: number; location: string };
  /** Highest-seq record of the epoch naming a next key. */
  closing?: { seq: number; epoch: number; key: string };
}

/** A problem found in the epoch order, at a record. */
export type EpochProblem = Pick<Finding, 'location' | 'seq' | 'detail'>;

/** The epochs of one stream's Ed25519-signed records (memory: one entry per epoch). */
export class EpochOrder {
  private readonly spans = new Map<number, Span>();

  /** Notes a validly signed record at `seq`. */
  add(seq: number, location: string, mark: EpochMark): void {
    let span = this.spans.get(mark.epoch);
    if (!span) {
      span = { kid: mark.kid, epoch: mark.epoch, key: mark.key, minSeq: seq, minLocation: location, maxSeq: seq };
      this.spans.set(mark.epoch, span);
    } else if (span.key !== mark.key) {
      span.otherKey ??= { seq, location };
    }
    if (seq < span.minSeq) {
      span.minSeq = seq;
      span.minLocation = location;
    }
    if (seq > span.maxSeq) span.maxSeq = seq;
    if (mark.next && (!span.closing || seq > span.closing.seq)) span.closing = { seq, ...mark.next };
  }

  /** Epoch (and key) of the lowest-seq signed record, when any. */
  first(): { kid: string; epoch: number; key: string; seq: number; location: string } | undefined {
    let best: Span | undefined;
    for (const span of this.spans.values()) if (!best || span.minSeq < best.minSeq) best = span;
    return best && { kid: best.kid, epoch: best.epoch, key: best.key, seq: best.minSeq, location: best.minLocation };
  }

  /** The highest-seq signed record's epoch, and the next key it names when it closed its epoch. */
  last(): { kid: string; epoch: number; next?: { epoch: number; key: string } } | undefined {
    let best: Span | undefined;
    for (const span of this.spans.values()) if (!best || span.maxSeq > best.maxSeq) best = span;
    if (!best) return undefined;
    const closing = best.closing;
    const kid = best.kid;
    return closing && closing.seq === best.maxSeq
      ? { kid, epoch: best.epoch, next: closing }
      : { kid, epoch: best.epoch };
  }

  /** Everything out of order within the stream. */
  problems(): EpochProblem[] {
    const spans = [...this.spans.values()].sort((a, b) => a.epoch - b.epoch);
    const out: EpochProblem[] = [];
    for (const span of spans) {
      if (span.otherKey)
        out.push({
          location: span.otherKey.location,
          seq: span.otherKey.seq,
          detail: `signed with a second key for sealing epoch ${span.epoch} in one stream`,
        });
    }
    for (let i = 1; i < spans.length; i++) {
      const a = spans[i - 1] as Span;
      const b = spans[i] as Span;
      const at = { location: b.minLocation, seq: b.minSeq };
      if (a.maxSeq > b.minSeq) {
        out.push({
          ...at,
          detail: `signed in sealing epoch ${b.epoch} but placed before seq ${a.maxSeq}, signed in the earlier epoch ${a.epoch}: re-signed with a later key`,
        });
      } else if (b.epoch !== a.epoch + 1) {
        out.push({
          ...at,
          detail: `sealing epoch jumps from ${a.epoch} to ${b.epoch} without the closing seals in between: re-signed with a later key`,
        });
      } else if (!a.closing || a.closing.seq !== a.maxSeq || a.closing.key !== b.key) {
        out.push({
          ...at,
          detail: `sealing epoch ${b.epoch} begins without the closing seal of epoch ${a.epoch} naming its key: re-signed with a later key`,
        });
      }
    }
    return out;
  }
}

/** What a stream link needs to know of the linked streams' epochs. */
export interface EpochLinkSides {
  /** Last epoch of the predecessor, and whether it ended with its shutdown seal. */
  readonly before: {
    readonly epoch: number;
    readonly next?: { epoch: number; key: string };
    readonly shutdown: boolean;
  };
  /** First epoch of the successor. */
  readonly after: { readonly epoch: number; readonly key: string };
}

/**
 * Checks the epochs across a stream link: the successor starts in the predecessor's last epoch,
 * or in the next one when the predecessor's last seal closed that epoch (naming this key) or when
 * it ended without closing (a crash at an epoch change). Returns the problem, if any.
 */
export function epochLinkProblem({ before, after }: EpochLinkSides): string | undefined {
  if (after.epoch === before.epoch) return undefined;
  if (after.epoch === before.epoch + 1) {
    if (before.next)
      return before.next.key === after.key ? undefined : 'starts with a key its predecessor did not name';
    if (!before.shutdown) return undefined;
  }
  return `starts in sealing epoch ${after.epoch} but the stream it continues ended in epoch ${before.epoch}: re-signed with a later key`;
}
