/**
 * How streams end and link: each stream either ends with its shutdown seal (closed), is continued
 * by a later stream that links to its last record (a restart after a crash), is the one being
 * written now, or ended without closing (a crash, or a cut — also a cut right after a periodic
 * seal). And each stream that links to a predecessor must find it in the source, unless a signed
 * retention record names that predecessor's head.
 */
import type { JournalRemoval } from '../record/retention-record.js';
import { SHUTDOWN_SEAL_REASON } from '../record/record-kinds.js';
import type { StreamHead } from '../record/stream-head.js';
import type { Finding, StreamReport } from './report.js';
import type { StreamChain } from './stream-chain.js';

/** What the verifier knows about removals and the writer when it judges streams. */
export interface TrailContext {
  /** Removals declared by validly signed retention records. */
  readonly removals: readonly JournalRemoval[];
  /**
   * Stream being written now (its writer holds the journal's lock): `null` when no writer runs,
   * `undefined` when unknown (records from memory, from Loki).
   */
  readonly liveStream: string | null | undefined;
  /** Tolerate a missing predecessor of the oldest stream (oldest segments removed without a retention record). */
  readonly allowMissingHead: boolean;
  /** Reports a finding not attributed to a present stream. */
  readonly report: (finding: Finding) => void;
}

/** True when a retention record names `stream` with last removed seq `lastSeq` and head `sig`. */
export function removedByRetention(
  removals: readonly JournalRemoval[],
  stream: string,
  lastSeq: number,
  sig: string,
): boolean {
  return removals.some((r) => r.streams.some((s) => s.stream === stream && s.lastSeq === lastSeq && s.head === sig));
}

/**
 * Checks the link from `chain`'s first record to the head of the stream it continues;
 * `oldest`: no stream of the source starts before this one.
 */
export function checkLink(
  chains: ReadonlyMap<string, StreamChain>,
  chain: StreamChain,
  link: { readonly head: StreamHead; readonly location: string },
  oldest: boolean,
  context: TrailContext,
): StreamReport['previous'] {
  const { head, location } = link;
  const older = chains.get(head.stream);
  if (!older || !older.tail || older === chain) {
    if (older === undefined) {
      if (removedByRetention(context.removals, head.stream, head.seq, head.sig))
        return { stream: head.stream, seq: head.seq, found: false, explained: 'retention' };
      if (!(context.allowMissingHead && oldest)) {
        context.report({
          class: 'missing-stream',
          location,
          stream: head.stream,
          seq: head.seq,
          detail: `stream ${chain.stream} continues stream ${head.stream} at seq ${head.seq}, which is not in the source and no retention record names it: a whole run was deleted`,
        });
      }
    }
    return { stream: head.stream, seq: head.seq, found: false };
  }
  older.next = chain.stream;
  const tail = older.tail;
  if (tail.seq < head.seq) {
    older.report({
      class: 'missing',
      location,
      seq: tail.seq + 1,
      seqTo: head.seq,
      detail: `stream ${chain.stream} continues from seq ${head.seq}, but the records end at ${tail.seq}: tail truncated`,
    });
    return { stream: head.stream, seq: head.seq, found: true, matches: false };
  }
  if (tail.seq > head.seq) {
    older.report({
      class: 'inserted',
      location: tail.location,
      seq: head.seq + 1,
      seqTo: tail.seq,
      detail: `records after seq ${head.seq}, the head that stream ${chain.stream} continued from`,
    });
    return { stream: head.stream, seq: head.seq, found: true };
  }
  const matches = tail.sig === head.sig;
  if (!matches)
    older.report({
      class: 'modified',
      location: tail.location,
      seq: tail.seq,
      detail: `last record's signature differs from the one stream ${chain.stream} links to`,
    });
  return { stream: head.stream, seq: head.seq, found: true, matches };
}

/**
 * Judges how `chain` ends (after every link was checked, so `chain.next` is known): reports an
 * unsealed tail or an unclosed stream, and returns whether it ends with its shutdown seal and its status.
 */
export function judgeEnd(
  chain: StreamChain,
  context: TrailContext,
): { sealed: boolean; status: StreamReport['status'] } {
  const tail = chain.tail;
  const lastSeal = chain.lastSeal;
  const sealed =
    tail !== undefined &&
    lastSeal !== undefined &&
    lastSeal.seq === tail.seq &&
    lastSeal.reason === SHUTDOWN_SEAL_REASON;
  const live = context.liveStream === undefined ? undefined : context.liveStream === chain.stream;
  let unclosed = false;
  if (tail && !sealed && chain.next === undefined) {
    const sealedUpTo = lastSeal?.seq ?? 0;
    if (tail.seq > sealedUpTo) {
      const count = tail.seq - sealedUpTo;
      if (live === false) {
        unclosed = true;
        chain.report({
          class: 'unclosed',
          location: tail.location,
          seq: sealedUpTo + 1,
          seqTo: tail.seq,
          detail: `ended without closing: ${count} record(s) after the last seal, no shutdown seal, no later stream links to it and no writer is writing it now (crash or cut)`,
        });
      } else {
        const why = live ? 'writer running' : 'writer running, crashed, or tail truncated';
        chain.report({
          class: 'unsealed-tail',
          location: tail.location,
          seq: sealedUpTo + 1,
          seqTo: tail.seq,
          detail: `${count} record(s) after the last seal and no later stream links to this one (${why})`,
        });
      }
      chain.markUnsealed(sealedUpTo + 1, tail.seq);
    } else if (live === false) {
      unclosed = true;
      chain.report({
        class: 'unclosed',
        location: tail.location,
        seq: tail.seq,
        detail: `ended without closing: the last record is a ${lastSeal?.reason || 'non-shutdown'} seal, not the shutdown seal, no later stream links to it and no writer is writing it now (crash, or cut at a seal)`,
      });
    }
  }
  const status: StreamReport['status'] = chain.tampered
    ? 'tampered'
    : unclosed
      ? 'unclosed'
      : chain.findings > 0
        ? 'unsealed'
        : sealed
          ? 'clean'
          : chain.next !== undefined
            ? 'recovered'
            : live === true
              ? 'live'
              : 'clean';
  return { sealed, status };
}
