/**
 * Attribute keys the signing processor adds to signed content (beyond `ATTR.sig/stream/seq/kid`,
 * which are set after signing): the link to the previous stream and the seal commitments.
 * Loki structured metadata spells them with `_` (`audit_seal_count`).
 */
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

/** Failure kinds the signing processor counts in `AuditDiagnostics`. */
export const SIGNING_FAILURE = {
  /** A record could not be signed; it went on unsigned. */
  sign: 'signing.failed',
  /** A record carried values JSON cannot hold; they were converted (see docs/integrity.md). */
  value: 'signing.value-converted',
  /** A seal could not be written or did not reach this processor. */
  seal: 'signing.seal',
} as const;
