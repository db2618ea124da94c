/**
 * The journal line: how one signed record is stored, `{"rec":<canonical content>,"sig":"<sig>"}`
 * without the newline. The line is itself canonical JSON. Every writer (journal sink, unsigned
 * records, tests) builds it with {@link journalLineOf}; every reader decodes it with
 * {@link decodeJournalLine}.
 */
import { canonicalContent, isSignedRecord, type SignedAuditRecord } from './audit-record.js';
import { jsonText } from './canonical.js';
import type { SignedParts } from './signed-log.js';

/** The journal line (without newline) of a record's canonical content and its signature. */
export function journalLineOf(parts: SignedParts): string {
  return '{"rec":' + parts.canonical + ',"sig":' + jsonText(parts.sig) + '}';
}

/**
 * Encodes a signed record as one journal line (without the newline).
 * @param canonical the output of {@link canonicalContent} for the record, when already at hand.
 */
export function encodeJournalLine(record: SignedAuditRecord, canonical?: string): string {
  return journalLineOf({ canonical: canonical ?? canonicalContent(record.rec), sig: record.sig });
}

/** Why a journal line could not be decoded. */
export type LineDecodeError = 'not-json' | 'not-a-record' | 'not-canonical';

/** Result of {@link decodeJournalLine}. */
export type DecodedLine =
  | { readonly ok: true; readonly record: SignedAuditRecord; readonly canonical: string }
  | { readonly ok: false; readonly error: LineDecodeError };

/**
 * Decodes one journal line. A line that parses but is not byte-for-byte the canonical encoding of
 * what it contains is reported as `not-canonical` (someone edited it), so no edit goes unseen even
 * where it would not change the parsed value.
 */
export function decodeJournalLine(line: string): DecodedLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not-json' };
  }
  if (!isSignedRecord(parsed)) return { ok: false, error: 'not-a-record' };
  const canonical = canonicalContent(parsed.rec);
  if (encodeJournalLine(parsed, canonical) !== line) return { ok: false, error: 'not-canonical' };
  return { ok: true, record: parsed, canonical };
}
