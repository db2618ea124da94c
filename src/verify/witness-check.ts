/**
 * Checking a journal against a witness: a copy of the seals kept where the writer's host cannot
 * reach (Loki, a webhook receiver, a file on another volume). Every stream head the witness saw
 * must be in the source with the same signature; a witnessed stream the source lacks, or a source
 * stream that ends before the witness's last head of it, is a `witness-mismatch` finding.
 */
import type { StreamHead } from '../record/stream-head.js';
import type { Finding } from './report.js';

/** A stream head a witness saw (the seal's own position and signature). */
export interface WitnessedHead extends StreamHead {
  /** Time of the seal (ISO-8601), when known. */
  readonly ts?: string;
  /** Where the witness holds it (`witness.log:12`, `loki:…`). */
  readonly location: string;
}

/** What the source showed at a witnessed position. */
type Seen = 'match' | 'differs';

interface Watched {
  readonly head: WitnessedHead;
  seen?: Seen;
}

/** Collects witnessed heads, marks those the source confirms, and reports the rest. */
export class WitnessCheck {
  private readonly byStream = new Map<string, Map<number, Watched>>();
  private count = 0;

  /** Adds a head the witness saw (a repeated head is kept once). */
  add(head: WitnessedHead): void {
    let heads = this.byStream.get(head.stream);
    if (!heads) {
      heads = new Map();
      this.byStream.set(head.stream, heads);
    }
    if (heads.has(head.seq)) return;
    heads.set(head.seq, { head });
    this.count++;
  }

  /** Withdraws a head added before its signature could be checked (it did not verify). */
  remove(stream: string, seq: number, sig: string): void {
    const heads = this.byStream.get(stream);
    if (heads?.get(seq)?.head.sig !== sig) return;
    heads.delete(seq);
    this.count--;
  }

  /** Heads held. */
  get size(): number {
    return this.count;
  }

  /** A validly signed record of the source: confirms (or contradicts) a witnessed head at its position. */
  observe(stream: string, seq: number, sig: string): void {
    const watched = this.byStream.get(stream)?.get(seq);
    if (!watched || watched.seen === 'match') return;
    watched.seen = watched.head.sig === sig ? 'match' : 'differs';
  }

  /**
   * One finding per witnessed stream the source does not fully confirm, at the witness's highest
   * unconfirmed head. `lastSeqOf(stream)` is the highest genuine seq the source holds of it.
   */
  findings(lastSeqOf: (stream: string) => number | undefined): Finding[] {
    const out: Finding[] = [];
    for (const [stream, heads] of this.byStream) {
      const unconfirmed = [...heads.values()].filter((w) => w.seen !== 'match').sort((a, b) => a.head.seq - b.head.seq);
      const worst = unconfirmed[unconfirmed.length - 1];
      if (!worst) continue;
      const { head } = worst;
      const at = head.ts ? ` (sealed ${head.ts})` : '';
      const last = lastSeqOf(stream);
      let detail: string;
      if (last === undefined)
        detail = `the witness saw stream ${stream} up to seq ${head.seq}${at}; the source holds no record of it (a run deleted or replaced)`;
      else if (last < head.seq)
        detail = `the source ends stream ${stream} at seq ${last}, before the head the witness saw at seq ${head.seq}${at} (tail cut)`;
      else
        detail = `the record at seq ${head.seq} of stream ${stream} is not the one the witness saw${at} (re-signed or replaced)`;
      const more = unconfirmed.length > 1 ? `; ${unconfirmed.length} witnessed head(s) of this stream unconfirmed` : '';
      out.push({ class: 'witness-mismatch', location: head.location, stream, seq: head.seq, detail: detail + more });
    }
    return out;
  }
}
