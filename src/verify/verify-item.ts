/**
 * One record handed to the verifier, and reading it: the record content and the canonical text
 * its signature covers, or why it cannot be genuine (content not in canonical form, or a stored
 * record and canonical text that disagree), or why it cannot be read at all.
 */
import {
  canonicalContent,
  isSignedRecord,
  type AuditRecordContent,
  type SignedAuditRecord,
} from '../record/audit-record.js';
import { canonicalize, type CanonicalValue } from '../record/canonical.js';
import { errorText } from '../events/error-text.js';

/** One record to verify: its canonical content string and/or parsed record, its signature and where it was found. */
export interface VerifyItem {
  /** Canonical content as stored (journal `rec`, Loki log line, OTel body). Preferred: it is what was signed. */
  readonly canonical?: string;
  /** Parsed record; when `canonical` is also given, both must agree. */
  readonly record?: SignedAuditRecord;
  /** The signature stored with it (`""` for unsigned records). */
  readonly sig: string;
  /** Where it was found (`logs/audit.log:42`, `loki:…`, `memory#3`). */
  readonly location: string;
}

/** A {@link VerifyItem} read: its content and canonical text; `mismatch` says why it cannot be genuine. */
export type ParsedItem = { rec: AuditRecordContent; canonical: string; mismatch?: string } | { error: string };

/** Reads `item` (see {@link ParsedItem}); never throws. */
export function parseVerifyItem(item: VerifyItem): ParsedItem {
  try {
    if (typeof item.canonical === 'string') {
      let value: unknown;
      try {
        value = JSON.parse(item.canonical);
      } catch {
        return { error: 'content is not JSON' };
      }
      if (!isSignedRecord({ rec: value, sig: item.sig })) return { error: 'content is not an audit record' };
      const rec = value as AuditRecordContent;
      let mismatch: string | undefined;
      if (canonicalize(value as CanonicalValue) !== item.canonical)
        mismatch = 'content is not in canonical form (edited)';
      else if (item.record && canonicalContent(item.record.rec) !== item.canonical)
        mismatch = 'stored record and its canonical text disagree';
      return { rec, canonical: item.canonical, ...(mismatch ? { mismatch } : {}) };
    }
    if (item.record && isSignedRecord(item.record))
      return { rec: item.record.rec, canonical: canonicalContent(item.record.rec) };
    return { error: 'neither canonical content nor a record was given' };
  } catch (err) {
    return { error: `content cannot be serialized (${errorText(err)})` };
  }
}
