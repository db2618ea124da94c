/**
 * Verification state of one stream: which sequence numbers were seen, the links between
 * neighbouring records (`prev` of seq n+1 = `sig` of seq n), seals, and the stream's tail. A
 * record is classified as soon as both of its neighbours have been seen (or at the end), and then
 * forgotten, so memory grows with gaps and out-of-order windows, not with the stream's length.
 */
import type { SignatureCheck } from '../processors/signing/keys.js';
import type { StreamHead } from '../record/stream-head.js';
import { NON_TAMPER_CLASSES, type Finding, type FindingClass, type RecordVerdict } from './report.js';
import { judgeGaps, type LossClaim } from './loss-accounting.js';
import { SeqRanges } from './seq-ranges.js';
import { EpochOrder, type EpochMark } from './epoch-order.js';

/** A signed record as the chain needs it. */
export interface ChainEntry {
  readonly seq: number;
  readonly sig: string;
  readonly prev: string;
  /** Outcome of the signature check (`invalid` also for non-canonical content). */
  readonly check: SignatureCheck;
  /** Why the check failed, when it did for another reason than a plain mismatch. */
  readonly checkDetail?: string;
  readonly location: string;
  /** Seal attributes, when the record is a seal. */
  readonly seal?: { readonly count: unknown; readonly head: unknown; readonly reason: string };
  /** `audit.stream.previous` of the record, when it carries one. */
  readonly previous?: StreamHead;
  /** Per-record verdict to update, when the caller keeps them. */
  readonly verdict?: RecordVerdict;
  /** Sealing-key epoch of a validly Ed25519-signed record (public-key mode). */
  readonly epoch?: EpochMark;
}

/** How a record relates to a neighbour: does the chain link match, and is the neighbour genuine? */
interface Link {
  readonly match: boolean;
  readonly neighbourValid: boolean;
}

interface Slot {
  entry: ChainEntry;
  /** Position in the stream's arrival order. */
  readonly arrival: number;
  /** Arrived on the wrong side of a chain neighbour (set when linking, with `ordered`). */
  reordered: boolean;
  /** The neighbour it is inverted with. */
  reorderedWith?: number;
  prevLink?: Link;
  nextLink?: Link;
}

/** Where findings go. */
export type FindingSink = (finding: Finding) => void;

/** Options of a {@link StreamChain}. */
export interface StreamChainOptions {
  /**
   * Arrival order is meaningful (journal): a record that arrived before its predecessor or after
   * its successor is `reordered` (so a swapped pair, or a moved record and the neighbour it jumped, are flagged).
   */
  readonly ordered: boolean;
  /** Keep per-record verdicts by seq, so the tail can be re-classified at the end. */
  readonly perRecord: boolean;
}

/** The verification state of one stream. */
export class StreamChain {
  /** Signed records pushed (duplicates included). */
  records = 0;
  /** Records classified `ok` or `reordered`. */
  verified = 0;
  /** Unsigned records with this stream id. */
  unsigned = 0;
  /** Findings attributed to this stream. */
  findings = 0;
  /** Whether any finding other than `unsealed-tail` / `unclosed` was attributed to this stream. */
  tampered = false;
  /** Records declared lost by a loss record (gaps reported as `accounted-loss`). */
  lost = 0;
  /** Validly signed loss records naming this stream; set before {@link finish}. */
  lossClaims: LossClaim[] = [];
  /** Last valid, consistent seal. */
  lastSeal: { seq: number; reason: string } | undefined;
  /** Genuine (validly signed) record with the highest seq. */
  tail: { seq: number; sig: string; location: string } | undefined;
  /** Genuine record with the lowest seq: where the stream starts in the source. */
  first: { seq: number; prev: string } | undefined;
  /** Link to the previous stream, from a genuine first record. */
  previous: { head: StreamHead; location: string } | undefined;
  /** Later stream that links to this one. */
  next: string | undefined;
  /** Sealing-key epochs of the stream's Ed25519-signed records. */
  readonly epochs = new EpochOrder();

  private readonly seen = new SeqRanges();
  private readonly slots = new Map<number, Slot>();
  private readonly verdicts = new Map<number, RecordVerdict>();
  /** Seqs held only by a forged record (classified `inserted`, not a duplicate). */
  private readonly forgedSeqs = new Set<number>();
  private arrivals = 0;

  constructor(
    readonly stream: string,
    private readonly options: StreamChainOptions,
    private readonly sink: FindingSink,
  ) {}

  /** Records held while waiting for a neighbour (memory in use, in records). */
  get pending(): number {
    return this.slots.size;
  }

  /** Smallest seq seen. */
  get firstSeq(): number | undefined {
    return this.seen.min();
  }

  /** Adds a signed record. */
  add(entry: ChainEntry): void {
    this.records++;
    const { seq } = entry;
    if (!this.seen.add(seq)) {
      this.duplicate(entry);
      return;
    }
    const slot: Slot = { entry, arrival: this.arrivals++, reordered: false };
    this.slots.set(seq, slot);
    if (this.options.perRecord && entry.verdict) this.verdicts.set(seq, entry.verdict);
    if (seq === 1) slot.prevLink = { match: entry.prev === '', neighbourValid: false };
    this.observe(entry);
    const before = this.slots.get(seq - 1);
    if (before) this.link(before, slot);
    const after = this.slots.get(seq + 1);
    if (after) this.link(slot, after);
    this.settle(seq - 1);
    this.settle(seq);
    this.settle(seq + 1);
  }

  /**
   * Classifies every record still waiting for a neighbour and reports gaps. Call once, before
   * the cross-stream checks. `allowMissingHead`: a stream starting after seq 1 is not a gap;
   * `removed(first)`: whether a retention record names the records before the first one present
   * (its seq − 1 and its `prev`), which are then not a gap either.
   */
  finish(
    allowMissingHead: boolean,
    removed: (first: { readonly seq: number; readonly prev: string }) => boolean = () => false,
  ): void {
    const waiting = [...this.slots.values()].sort((a, b) => a.entry.seq - b.entry.seq);
    const locations = new Map<number, string>(waiting.map((slot) => [slot.entry.seq, slot.entry.location]));
    for (const slot of waiting) this.classify(slot);
    this.slots.clear();
    for (const problem of this.epochs.problems()) {
      const verdict = problem.seq !== undefined ? this.verdicts.get(problem.seq) : undefined;
      if (verdict) verdict.class = 'modified';
      this.report({ class: 'modified', ...problem });
    }
    // Forged records do not occupy a position: gaps are computed without them.
    const present = this.seen.without(this.forgedSeqs);
    const where = (seq: number): string => locations.get(seq) ?? `${this.stream}#${seq}`;
    const min = present.min();
    const gaps = present.gaps();
    const removedByRetention = this.first !== undefined && this.first.seq === min && removed(this.first);
    if (min !== undefined && min > 1 && !allowMissingHead && !removedByRetention)
      gaps.unshift({ from: 1, to: min - 1 });
    for (const gap of judgeGaps(gaps, this.lossClaims)) {
      const location = where(gap.to + 1);
      const range = `seq ${gap.from}-${gap.to}`;
      if (gap.claim) {
        this.report({
          class: 'accounted-loss',
          location,
          seq: gap.from,
          seqTo: gap.to,
          detail: `${gap.to - gap.from + 1} record(s) not written by the writer (${range}), declared by the loss record at ${gap.claim.location} (${gap.claim.reason || 'no reason given'})`,
        });
      } else if (gap.excess) {
        this.report({
          class: 'missing',
          location,
          seq: gap.from,
          seqTo: gap.to,
          detail: `${gap.to - gap.from + 1} record(s) missing (${range}); ${gap.excess}`,
        });
      } else if (gap.from === 1 && gap.to === (min ?? 0) - 1) {
        this.report({
          class: 'missing',
          location,
          seq: 1,
          seqTo: gap.to,
          detail: `records 1-${gap.to} before the first one present are missing`,
        });
      } else {
        this.report({
          class: 'missing',
          location,
          seq: gap.from,
          seqTo: gap.to,
          detail: `${gap.to - gap.from + 1} record(s) missing (${range})`,
        });
      }
    }
  }

  /** Re-classifies records `from`..`to` that verified as `unsealed-tail` (per-record verdicts only). */
  markUnsealed(from: number, to: number): void {
    for (let seq = from; seq <= to; seq++) {
      const verdict = this.verdicts.get(seq);
      if (verdict && verdict.class === 'ok') verdict.class = 'unsealed-tail';
    }
  }

  /** Reports a finding attributed to this stream (accounted loss is counted in {@link lost}, not as a finding). */
  report(finding: Omit<Finding, 'stream'>): void {
    if (finding.class === 'accounted-loss') {
      this.lost += (finding.seqTo ?? finding.seq ?? 0) - (finding.seq ?? 0) + 1;
      this.sink({ ...finding, stream: this.stream });
      return;
    }
    this.findings++;
    if (!NON_TAMPER_CLASSES.has(finding.class)) this.tampered = true;
    this.sink({ ...finding, stream: this.stream });
  }

  private observe(entry: ChainEntry): void {
    if (entry.check !== 'valid') return;
    if (entry.epoch) this.epochs.add(entry.seq, entry.location, entry.epoch);
    if (!this.tail || entry.seq >= this.tail.seq)
      this.tail = { seq: entry.seq, sig: entry.sig, location: entry.location };
    if (entry.seal && sealConsistent(entry) && (!this.lastSeal || entry.seq > this.lastSeal.seq)) {
      this.lastSeal = { seq: entry.seq, reason: entry.seal.reason };
    }
    if (!this.first || entry.seq < this.first.seq) this.first = { seq: entry.seq, prev: entry.prev };
    if (entry.seq === 1 && entry.previous) this.previous = { head: entry.previous, location: entry.location };
  }

  private duplicate(entry: ChainEntry): void {
    const slot = this.slots.get(entry.seq);
    if (slot && slot.entry.check !== 'valid' && entry.check === 'valid') {
      // A forged record took the genuine one's place first: swap them and re-link.
      const forged = slot.entry;
      this.verdict(forged, 'inserted');
      this.report({
        class: 'inserted',
        location: forged.location,
        seq: forged.seq,
        detail: `forged record: seq ${forged.seq} also appears with a valid signature at ${entry.location}`,
      });
      slot.entry = entry;
      if (this.options.perRecord && entry.verdict) this.verdicts.set(entry.seq, entry.verdict);
      this.observe(entry);
      const before = this.slots.get(entry.seq - 1);
      if (before) this.link(before, slot);
      const after = this.slots.get(entry.seq + 1);
      if (after) this.link(slot, after);
      return;
    }
    if (!slot && entry.check === 'valid' && this.forgedSeqs.delete(entry.seq)) {
      // The genuine record of a position a forgery held (and was already judged for) arrives late.
      this.observe(entry);
      this.verified++;
      this.verdict(entry, this.options.ordered ? 'reordered' : 'ok');
      if (this.options.ordered)
        this.report({
          class: 'reordered',
          location: entry.location,
          seq: entry.seq,
          detail: `seq ${entry.seq} arrived after its neighbours`,
        });
      return;
    }
    this.verdict(entry, 'inserted');
    this.report({
      class: 'inserted',
      location: entry.location,
      seq: entry.seq,
      detail: `duplicate seq ${entry.seq}${entry.check === 'valid' ? ' (a replayed copy)' : ' with an invalid signature'}`,
    });
  }

  private link(a: Slot, b: Slot): void {
    if (this.options.ordered && b.arrival < a.arrival) {
      a.reordered = true;
      a.reorderedWith = b.entry.seq;
      b.reordered = true;
      b.reorderedWith = a.entry.seq;
    }
    const match = b.entry.prev === a.entry.sig;
    a.nextLink = { match, neighbourValid: b.entry.check === 'valid' };
    b.prevLink = { match, neighbourValid: a.entry.check === 'valid' };
  }

  /** Classifies and forgets the record at `seq` once both neighbours were seen. */
  private settle(seq: number): void {
    const slot = this.slots.get(seq);
    if (!slot || !slot.prevLink || !slot.nextLink) return;
    this.classify(slot);
    this.slots.delete(seq);
  }

  private classify(slot: Slot): void {
    const { entry, prevLink, nextLink } = slot;
    const seq = entry.seq;
    if (entry.check === 'unknown-key') {
      this.verdict(entry, 'unknown-key');
      this.report({
        class: 'unknown-key',
        location: entry.location,
        seq,
        detail: 'signed with a key id that is not in the keyring',
      });
      return;
    }
    if (entry.check === 'invalid') {
      const fits =
        (nextLink?.match === true && nextLink.neighbourValid) || (prevLink?.match === true && prevLink.neighbourValid);
      const why = entry.checkDetail ?? 'signature does not match the content';
      if (fits) {
        this.verdict(entry, 'modified');
        this.report({
          class: 'modified',
          location: entry.location,
          seq,
          detail: `${why}; the record sits in the chain, its content was changed`,
        });
      } else {
        this.verdict(entry, 'inserted');
        this.forgedSeqs.add(seq);
        this.report({
          class: 'inserted',
          location: entry.location,
          seq,
          detail: `${why}, and the record is not linked from the genuine chain: forged or inserted`,
        });
      }
      return;
    }
    let problem: string | undefined;
    if (seq === 1 && entry.prev !== '') problem = 'first record of the stream has a non-empty prev';
    else if (prevLink && !prevLink.match && prevLink.neighbourValid)
      problem = `prev does not match the signature of seq ${seq - 1}: chain broken`;
    else if (entry.seal && !sealConsistent(entry)) problem = 'seal count/head do not match its chain position';
    if (problem) {
      this.verdict(entry, 'modified');
      this.report({ class: 'modified', location: entry.location, seq, detail: problem });
      return;
    }
    this.verified++;
    if (slot.reordered) {
      this.verdict(entry, 'reordered');
      this.report({
        class: 'reordered',
        location: entry.location,
        seq,
        detail: `seq ${seq} and seq ${slot.reorderedWith ?? '?'} arrived in inverted order`,
      });
      return;
    }
    this.verdict(entry, 'ok');
  }

  private verdict(entry: ChainEntry, cls: FindingClass): void {
    if (entry.verdict) entry.verdict.class = cls;
  }

  private locationOf(seq: number): string {
    return this.slots.get(seq)?.entry.location ?? `${this.stream}#${seq}`;
  }
}

function sealConsistent(entry: ChainEntry): boolean {
  return entry.seal !== undefined && entry.seal.count === entry.seq - 1 && entry.seal.head === entry.prev;
}
