/**
 * The canonical serialization of records being signed: built as a string in one pass
 * ({@link canonicalRecordOf}), and one record in {@link SELF_CHECK_EVERY} (the first of a stream
 * included) also built the reference way, as a content object through `canonicalizeMemberwise`.
 * A difference is counted and turns the fast path off for the rest of the stream.
 */
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { canonicalContent } from '../../record/audit-record.js';
import { canonicalizeMemberwise, type CanonicalValue } from '../../record/canonical.js';
import {
  canonicalRecordOf,
  recordContentOf,
  type ChainSlot,
  type ConversionNotes,
} from '../../record/record-content.js';
import { SIGNING_FAILURE } from './attributes.js';

/** One record in this many is serialized both ways and compared (the first record of a stream included). */
const SELF_CHECK_EVERY = 1024;

/** Serializes one stream's records in canonical form, checking the fast path against the reference. */
export class RecordSerializer {
  /** Values JSON cannot hold that were converted (`fixed` grows with each). */
  readonly notes: ConversionNotes = { fixed: 0, digitKeys: false };
  /** Set when a sampled self-check found the fast serialization not canonical: canonicalize from then on. */
  private slowPath = false;

  constructor(private readonly diagnostics: AuditDiagnostics) {}

  /** The canonical form of `log` at `slot`. */
  serialize(log: ReadWriteLogRecord, slot: ChainSlot): string {
    if (this.slowPath) return canonicalContent(recordContentOf(log, slot, this.notes));
    const fast = canonicalRecordOf(log, slot, this.notes);
    if (slot.seq % SELF_CHECK_EVERY === 1) {
      const reference = canonicalizeMemberwise(
        recordContentOf(log, slot, { fixed: 0, digitKeys: false }) as unknown as CanonicalValue,
      );
      if (reference !== fast) {
        this.slowPath = true;
        this.diagnostics.count(
          SIGNING_FAILURE.sign,
          'fast serialization differed from the canonical form; using canonicalize from now on',
        );
        return reference;
      }
    }
    return fast;
  }
}
