/**
 * The names that make a record more than an event: the kinds of records the signer writes on its
 * own (seals, loss records) and the attributes by which they commit to their stream. Signer, journal, PII
 * processor, queries and verifiers all take these names from here.
 * Loki structured metadata spells attribute keys with `_` (`audit_seal_count`).
 */

/** Event name of the seal records that commit to a stream's count and head. */
export const SEAL_EVENT_NAME = 'audit.seal';

/** Attribute keys the signer puts into signed content (beyond `audit.sig/stream/seq/kid`, set after signing). */
export const SIGNING_ATTR = {
  /** On the first record of a stream: `{stream, seq, sig}` of the previous stream's last record. */
  previousStream: 'audit.stream.previous',
  /** On a seal: number of records before it in its stream (= its seq − 1). */
  sealCount: 'audit.seal.count',
  /** On a seal: signature of the record just before it (= its `prev`). */
  sealHead: 'audit.seal.head',
  /** On a seal: why it was written (`periodic`, `shutdown`, or a caller's reason). */
  sealReason: 'audit.seal.reason',
} as const;

/** Seal reason of the last seal a stream gets when its signer shuts down cleanly. */
export const SHUTDOWN_SEAL_REASON = 'shutdown';

/** Seal reason of seals written by the interval or record-count schedule. */
export const PERIODIC_SEAL_REASON = 'periodic';

/** Seal reason of the seal written (public-key mode) before a journal writes a batch holding unsealed records. */
export const FLUSH_SEAL_REASON = 'flush';

/** Seal reason given to a seal requested without one. */
export const MANUAL_SEAL_REASON = 'manual';

/**
 * Event name of loss records: written (signed and chained like any record) once writing works
 * again after records could not be written, naming the stream, seq range and count lost.
 */
export const LOSS_EVENT_NAME = 'audit.loss';

/** Attribute keys of a loss record's content. */
export const LOSS_ATTR = {
  /** Stream whose records were lost. */
  stream: 'audit.loss.stream',
  /** First lost sequence number. */
  from: 'audit.loss.from',
  /** Last lost sequence number. */
  to: 'audit.loss.to',
  /** Records lost within `from`..`to` (records in that range that were written are not counted). */
  count: 'audit.loss.count',
  /** Why: `overflow` (write buffer full), `encode` (record could not be turned into a line), or both, comma-separated. */
  reason: 'audit.loss.reason',
} as const;

/** Event name of the retention records a journal writes before it deletes expired segments. */
export const RETENTION_EVENT_NAME = 'audit.retention';

/**
 * Event names of the records the SDK writes on its own about the trail itself (seals, loss,
 * retention). The PII processor leaves them unchanged.
 */
export const TRAIL_EVENT_NAMES: ReadonlySet<string> = new Set([SEAL_EVENT_NAME, LOSS_EVENT_NAME, RETENTION_EVENT_NAME]);
