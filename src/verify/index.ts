/** Verification of signed audit records from any source. See docs/integrity.md. */
export { ChainVerifier, type ChainVerifierOptions, type VerifyItem } from './chain-verifier.js';
export { verifyRecords, type VerifiableRecord, type VerificationKeys } from './verify-records.js';
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
} from './report.js';
export { loadVerificationKeys, keyringOf, Keyring, AuditKeyError } from '../processors/signing/keys.js';
