/**
 * The signed audit record: its canonical content and the helpers that every verifier shares. The
 * signing processor produces these; the journal (journal-line.ts), the Loki reader and
 * `verifyRecords` consume them. See README "Record format".
 */
import { canonicalize, type CanonicalValue } from './canonical.js';

/** Current record format version, carried in every record as `v`. */
export const RECORD_FORMAT_VERSION = 1;

/**
 * What a record commits to. Serialized with {@link canonicalize}; the HMAC-SHA256 signature is
 * computed over exactly those bytes.
 */
export interface AuditRecordContent {
  /** Format version ({@link RECORD_FORMAT_VERSION}). */
  readonly v: number;
  /** Stream id: one per signer instance (process start); sequence numbers count within it. */
  readonly stream: string;
  /** Sequence number in the stream, 1 for the first record. */
  readonly seq: number;
  /** Signature (`sig`) of the previous record in the stream; `""` for the first record. */
  readonly prev: string;
  /** Id of the key that signed this record. */
  readonly kid: string;
  /** Record time, ISO-8601 UTC with milliseconds. */
  readonly ts: string;
  /** Nanoseconds within the millisecond of `ts` (0–999999), so ordering keeps full OTel precision. */
  readonly tsNanos: number;
  /** OTel event name, e.g. `orchestrator.lead.ingested`; `null` for records without one. */
  readonly event: string | null;
  /** OTel severity text (`INFO`, `ERROR`, …) or `null`. */
  readonly sev: string | null;
  /** OTel severity number or `null`. */
  readonly sevNum: number | null;
  /** Trace id (hex) of the span active at emit time, when there was one. */
  readonly trace?: string;
  /** Span id (hex) of the span active at emit time, when there was one. */
  readonly span?: string;
  /** The record's body (already anonymized), as JSON. */
  readonly body: CanonicalValue;
  /** The record's attributes (already anonymized), as JSON. */
  readonly attrs: { readonly [key: string]: CanonicalValue };
}

/** A record with its signature, as stored and as verified. */
export interface SignedAuditRecord {
  /** The committed content. */
  readonly rec: AuditRecordContent;
  /** base64url (no padding) HMAC-SHA256 of `canonicalize(rec)` under key `rec.kid`. */
  readonly sig: string;
}

/** Canonical bytes of a record's content: the exact input of its signature. */
export function canonicalContent(rec: AuditRecordContent): string {
  return canonicalize(rec as unknown as CanonicalValue);
}

/** Structural check of a parsed value against {@link SignedAuditRecord}. */
export function isSignedRecord(value: unknown): value is SignedAuditRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { rec, sig } = value as { rec?: unknown; sig?: unknown };
  if (typeof sig !== 'string' || typeof rec !== 'object' || rec === null) return false;
  const r = rec as Record<string, unknown>;
  return (
    typeof r.v === 'number' &&
    typeof r.stream === 'string' &&
    Number.isSafeInteger(r.seq) &&
    typeof r.prev === 'string' &&
    typeof r.kid === 'string' &&
    typeof r.ts === 'string' &&
    typeof r.attrs === 'object' &&
    r.attrs !== null
  );
}
