/**
 * The journal line of a record that did not pass a signer (a custom pipeline with the journal
 * processor but no `SigningProcessor`). It has the shape of a signed record, built by the signer's
 * own canonical serializer, so that readers and queries handle it like any other, with empty
 * `stream`, `kid`, `prev` and `sig` and `seq` 0: verifiers report it as unsigned, never as valid.
 * Values JSON cannot carry are converted exactly as the signer converts them (cycles cut, bytes as
 * base64, non-finite numbers as strings), so no record is lost for its content.
 */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { canonicalRecordOf, UNSIGNED_SLOT, type ConversionNotes } from '../../record/record-content.js';
import { journalLineOf } from '../../record/journal-line.js';

/**
 * Encodes an unsigned log record as a journal line (without newline). Never throws; `notes.fixed`
 * grows by the number of values that had to be converted.
 */
export function unsignedJournalLine(
  log: ReadableLogRecord,
  notes: ConversionNotes = { fixed: 0, digitKeys: false },
): string {
  return journalLineOf({ canonical: canonicalRecordOf(log, UNSIGNED_SLOT, notes), sig: '' });
}
