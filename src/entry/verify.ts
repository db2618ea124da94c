/**
 * `orchestrator-audit-otel/verify`: verification of signed audit records from any source: HMAC
 * signatures, sequence numbers, hash chains and seals (see docs/integrity.md).
 */
export { verifyRecords, type VerifiableRecord, type VerificationKeys } from '../verify/verify-records.js';
export { ChainVerifier, type ChainVerifierOptions } from '../verify/chain-verifier.js';
export type { VerifyItem } from '../verify/verify-item.js';
export {
  FINDING_CLASSES,
  NON_TAMPER_CLASSES,
  exitCodeOf,
  renderSummary,
  statusOf,
  type Finding,
  type FindingClass,
  type RecordVerdict,
  type StreamReport,
  type StreamStatus,
  type VerificationReport,
  type VerificationStatus,
} from '../verify/report.js';
export { AuditKeyError, Keyring, keyringOf, loadVerificationKeys } from '../processors/signing/keys.js';
export { SealPublicKeys, loadSealPublicKey } from '../verify/seal-keys.js';
export { combineKeys, type RecordKeys } from '../verify/record-keys.js';
