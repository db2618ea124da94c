/**
 * Failure kinds of the signing processor. The record-format names it writes (seal event name,
 * seal and stream-link attributes) live in src/record/record-kinds.ts.
 */

/** Failure kinds the signing processor counts in `AuditDiagnostics`. */
export const SIGNING_FAILURE = {
  /** A record could not be signed; it went on unsigned. */
  sign: 'signing.failed',
  /** A record carried values JSON cannot hold; they were converted (see docs/integrity.md). */
  value: 'signing.value-converted',
  /** A seal could not be written or did not reach this processor. */
  seal: 'signing.seal',
  /** The sealing key file could not be replaced with a new epoch's key (it still holds an earlier one). */
  sealKey: 'signing.seal-key',
} as const;
