/**
 * The one verifier of signed audit records, whatever they come from (journal lines, Loki log
 * lines with structured metadata, in-memory OTel records). Items are pushed one at a time in
 * arrival order; `finish()` returns the report. Signatures are checked in constant time; records
 * are grouped by stream and checked by sequence number, so arrival order only matters for the
 * `reordered` class. Rules: docs/integrity.md.
 */
import type { SignatureCheck } from '../processors/signing/keys.js';
import type { AuditRecordContent, SignedAuditRecord } from '../record/audit-record.js';
import { decodeJournalLine } from '../record/journal-line.js';
import { removalOf, type JournalRemoval } from '../record/retention-record.js';
import {
  exitCodeOf,
  hintOf,
  renderSummary,
  statusOf,
  type Finding,
  type FindingClass,
  type RecordVerdict,
  type StreamReport,
  type VerificationReport,
} from './report.js';
import { lossOf } from '../record/loss-record.js';
import type { LossClaim } from './loss-accounting.js';
import { StreamChain, type ChainEntry } from './stream-chain.js';
import { checkLink, judgeEnd, removedByRetention, type TrailContext } from './stream-ends.js';
import { WitnessCheck } from './witness-check.js';
import { epochOf, previousOf, sealOf } from './entry-fields.js';
import { checkEpochLinks } from './epoch-links.js';
import type { RecordKeys } from './record-keys.js';
import { parseVerifyItem, type VerifyItem } from './verify-item.js';

/** Options of {@link ChainVerifier}. */
export interface ChainVerifierOptions {
  /**
   * Arrival order is the write order (journal): records arriving after a higher seq of their
   * stream are `reordered`. Set false for sources that return records in another order. Default true.
   */
  readonly ordered?: boolean;
  /**
   * Streams may start after seq 1, and the oldest stream may link to one that is absent, without
   * a finding (old segments removed without a retention record, or a time-ranged query). Default
   * false: only what a signed retention record names may be absent.
   */
  readonly allowMissingHead?: boolean;
  /**
   * Whether the writer of the source is running now (the journal's lock is held by a live
   * process): then the stream of the last record read is being written and is not reported as
   * ended without closing; when `false`, every stream without its shutdown seal and without a
   * successor is `unclosed`. Leave it out when unknown (records from memory or from Loki): streams
   * with records after their last seal are then `unsealed-tail`, and a stream ending at a periodic
   * seal cannot be told from one still being written, so it is not reported.
   */
  readonly writerRunning?: boolean;
  /** Keep one verdict per pushed item in the report (`records`). Default false. */
  readonly perRecord?: boolean;
  /** List at most this many findings (the rest are counted). Default 10000. */
  readonly maxFindings?: number;
}

const MAX_TORN_LISTED = 1000;

/** Streaming verifier: `push` items, then `finish()` once. */
export class ChainVerifier {
  private readonly chains = new Map<string, StreamChain>();
  private readonly findings: Finding[] = [];
  private readonly counts: { [cls: string]: number } = {};
  private readonly verdicts: RecordVerdict[] | undefined;
  private readonly tornLines: string[] = [];
  /** Validly signed loss records, by the stream whose records they declare lost. */
  private readonly lossClaims = new Map<string, LossClaim[]>();
  private readonly ordered: boolean;
  private readonly maxFindings: number;
  private omitted = 0;
  private read = 0;
  private readonly removals: JournalRemoval[] = [];
  private readonly witness = new WitnessCheck();
  /** Witness entries signed with an epoch key not certified when they were pushed. */
  private readonly deferredWitness: { rec: AuditRecordContent; canonical: string; sig: string; location: string }[] =
    [];
  /** Stream of the last validly signed record read. */
  private lastStream: string | undefined;
  private finished: VerificationReport | undefined;
  private readonly sink = (finding: Finding): void => this.addFinding(finding);

  constructor(
    private readonly keys: RecordKeys,
    private readonly options: ChainVerifierOptions = {},
  ) {
    this.ordered = options.ordered ?? true;
    this.maxFindings = options.maxFindings ?? 10_000;
    this.verdicts = options.perRecord ? [] : undefined;
  }

  /** Verifies one record. */
  push(item: VerifyItem): void {
    this.verifyItem(item, undefined);
  }

  private verifyItem(item: VerifyItem, edited: string | undefined): void {
    this.read++;
    const parsed = parseVerifyItem(item);
    if ('error' in parsed) {
      this.malformed(item.location, parsed.error);
      return;
    }
    this.verifyContent(parsed.rec, parsed.canonical, item.sig, item.location, parsed.mismatch ?? edited);
  }

  /** Checks a parsed record whose canonical text is known; `mismatch` says why it cannot be genuine. */
  private verifyContent(
    rec: AuditRecordContent,
    canonical: string,
    sig: string,
    location: string,
    mismatch: string | undefined,
  ): void {
    const verdict = this.newVerdict(location, rec.stream, rec.seq);
    if (sig === '' || rec.kid === '') {
      if (verdict) verdict.class = 'unsigned';
      if (rec.stream === '') {
        this.addFinding({ class: 'unsigned', location, detail: 'record carries no signature' });
      } else {
        const chain = this.chain(rec.stream);
        chain.unsigned++;
        chain.report({ class: 'unsigned', location, seq: rec.seq, detail: 'record carries no signature' });
      }
      return;
    }
    const check: SignatureCheck =
      mismatch !== undefined
        ? this.keys.has(rec.kid)
          ? 'invalid'
          : 'unknown-key'
        : this.keys.verify(rec.kid, canonical, sig, rec);
    if (check === 'valid') {
      this.lastStream = rec.stream;
      this.witness.observe(rec.stream, rec.seq, sig);
      const removal = removalOf(rec);
      if (removal) this.removals.push(removal);
    }
    const entry: ChainEntry = {
      seq: rec.seq,
      sig: sig,
      prev: rec.prev,
      check,
      ...(mismatch !== undefined ? { checkDetail: mismatch } : {}),
      location: location,
      ...sealOf(rec),
      ...previousOf(rec),
      ...(check === 'valid' ? epochOf(rec) : {}),
      ...(verdict ? { verdict } : {}),
    };
    this.chain(rec.stream).add(entry);
    if (check === 'valid') this.noteLoss(rec, location);
  }

  /** Remembers what a genuine loss record declares (its gaps are then accounted loss). */
  private noteLoss(rec: AuditRecordContent, location: string): void {
    const loss = lossOf(rec);
    if (!loss) return;
    const claims = this.lossClaims.get(loss.stream) ?? [];
    claims.push({ ...loss, location });
    this.lossClaims.set(loss.stream, claims);
  }

  /** Decodes and verifies one journal line (`{"rec":…,"sig":…}`). `torn`: the reader saw a write interrupted by a crash. */
  pushLine(line: string, location: string, torn = false): void {
    const decoded = decodeJournalLine(line);
    if (!decoded.ok && decoded.error === 'not-canonical') {
      // It parses as a record but is not byte-for-byte what was written: an edit. Verify what it
      // says against its signature (it will not match) so the chain decides modified vs inserted.
      const parsed = JSON.parse(line) as SignedAuditRecord;
      this.verifyItem({ record: parsed, sig: parsed.sig, location }, 'line is not in canonical form (edited)');
      return;
    }
    if (!decoded.ok) {
      this.read++;
      this.malformed(location, `line cannot be decoded (${decoded.error})`, torn);
      return;
    }
    this.read++;
    this.verifyContent(decoded.record.rec, decoded.canonical, decoded.record.sig, location, undefined);
  }

  /** Records an item that carries no signed content at all (e.g. an OTel record that did not pass a signer). */
  pushUnsigned(location: string, detail = 'record did not pass a signing processor'): void {
    this.read++;
    const verdict = this.newVerdict(location);
    if (verdict) verdict.class = 'unsigned';
    this.addFinding({ class: 'unsigned', location, detail });
  }

  /** Records an item that could not be decoded at all (e.g. a Loki entry without metadata). */
  pushMalformed(location: string, reason: string, torn = false): void {
    this.read++;
    this.malformed(location, reason, torn);
  }

  /**
   * Adds an entry of a witness (a seal, or any signed record, as the witness holds it). Push every
   * witness entry before the records they are to be checked against (records are not kept);
   * entries that do not verify under the keyring are `witness-mismatch` findings.
   */
  pushWitness(item: VerifyItem): void {
    const parsed = parseVerifyItem(item);
    if ('error' in parsed) {
      this.addFinding({
        class: 'witness-mismatch',
        location: item.location,
        detail: `witness entry cannot be read (${parsed.error})`,
      });
      return;
    }
    const { rec, canonical } = parsed;
    const check = parsed.mismatch !== undefined ? 'invalid' : this.keys.verify(rec.kid, canonical, item.sig, rec);
    if (check === 'unknown-key' && this.keys.has(rec.kid)) {
      // a sealing key whose certificate is in records not read yet: checked again at the end
      this.deferredWitness.push({ rec, canonical, sig: item.sig, location: item.location });
    } else if (check !== 'valid') {
      this.addFinding({
        class: 'witness-mismatch',
        location: item.location,
        stream: rec.stream,
        seq: rec.seq,
        detail: `witness entry does not verify (${check}): the witness was written by someone without the key`,
      });
      return;
    }
    this.witness.add({ stream: rec.stream, seq: rec.seq, sig: item.sig, ts: rec.ts, location: item.location });
  }

  /** Records held in memory while waiting for a neighbour, over all streams (stays small for in-order input). */
  pending(): number {
    let sum = 0;
    for (const chain of this.chains.values()) sum += chain.pending;
    return sum;
  }

  /** Ends verification and returns the report (idempotent). */
  finish(): VerificationReport {
    if (this.finished) return this.finished;
    for (const { rec, canonical, sig, location } of this.deferredWitness) {
      const check = this.keys.verify(rec.kid, canonical, sig, rec);
      if (check === 'valid') continue;
      this.witness.remove(rec.stream, rec.seq, sig);
      this.addFinding({
        class: 'witness-mismatch',
        location,
        stream: rec.stream,
        seq: rec.seq,
        detail: `witness entry does not verify (${check}): the witness was written by someone without the key`,
      });
    }
    for (const [stream, claims] of this.lossClaims) {
      const chain = this.chains.get(stream);
      if (chain) chain.lossClaims = claims;
    }
    const allowMissingHead = this.options.allowMissingHead ?? false;
    const running = this.options.writerRunning;
    const context: TrailContext = {
      removals: this.removals,
      liveStream: running === undefined ? undefined : running ? (this.lastStream ?? null) : null,
      allowMissingHead,
      report: this.sink,
    };
    for (const chain of this.chains.values()) {
      chain.finish(allowMissingHead, (first) =>
        removedByRetention(this.removals, chain.stream, first.seq - 1, first.prev),
      );
    }
    const previousInfo = new Map<string, StreamReport['previous']>();
    let oldest = true;
    for (const chain of this.chains.values()) {
      // streams are met in reading order: the first one met is the oldest of the source
      if (chain.previous)
        previousInfo.set(chain.stream, checkLink(this.chains, chain, chain.previous, oldest, context));
      if (chain.tail) oldest = false;
    }
    checkEpochLinks(this.chains, allowMissingHead);
    for (const finding of this.witness.findings((stream) => this.chains.get(stream)?.tail?.seq))
      this.addFinding(finding);
    const streams: StreamReport[] = [];
    let verified = 0;
    for (const chain of this.chains.values()) {
      const tail = chain.tail;
      const { sealed, status } = judgeEnd(chain, context);
      verified += chain.verified;
      const previous = previousInfo.get(chain.stream);
      streams.push({
        stream: chain.stream,
        records: chain.records,
        verified: chain.verified,
        unsigned: chain.unsigned,
        ...(tail ? { firstSeq: chain.firstSeq, lastSeq: tail.seq } : {}),
        ...(chain.lastSeal ? { lastSeal: { ...chain.lastSeal } } : {}),
        sealed,
        ...(previous ? { previous } : {}),
        ...(chain.next !== undefined ? { next: chain.next } : {}),
        findings: chain.findings,
        ...(chain.lost > 0 ? { lost: chain.lost } : {}),
        status,
      });
    }
    const status = statusOf(Object.keys(this.counts) as FindingClass[]);
    const hint = hintOf({ streams, recordsVerified: verified });
    const base = {
      status,
      exitCode: exitCodeOf(status),
      recordsRead: this.read,
      recordsVerified: verified,
      countsByClass: { ...this.counts },
      streams,
      findings: this.findings,
      findingsOmitted: this.omitted,
      tornLines: this.tornLines,
      ...(this.verdicts ? { records: this.verdicts } : {}),
      ...(hint !== undefined ? { hint } : {}),
    };
    this.finished = { ...base, summary: renderSummary(base) };
    return this.finished;
  }

  private malformed(location: string, reason: string, torn = false): void {
    if (torn) {
      if (this.tornLines.length < MAX_TORN_LISTED) this.tornLines.push(location);
      return;
    }
    const verdict = this.newVerdict(location);
    if (verdict) verdict.class = 'malformed';
    this.addFinding({ class: 'malformed', location, detail: reason });
  }

  private newVerdict(location: string, stream?: string, seq?: number): RecordVerdict | undefined {
    if (!this.verdicts) return undefined;
    const verdict: RecordVerdict = {
      location,
      ...(stream !== undefined ? { stream } : {}),
      ...(seq !== undefined ? { seq } : {}),
      class: 'ok',
    };
    this.verdicts.push(verdict);
    return verdict;
  }

  private chain(stream: string): StreamChain {
    let chain = this.chains.get(stream);
    if (!chain) {
      chain = new StreamChain(stream, { ordered: this.ordered, perRecord: this.verdicts !== undefined }, this.sink);
      this.chains.set(stream, chain);
    }
    return chain;
  }

  private addFinding(finding: Finding): void {
    this.counts[finding.class] = (this.counts[finding.class] ?? 0) + 1;
    if (this.findings.length < this.maxFindings) this.findings.push(finding);
    else this.omitted++;
  }
}
