/**
 * The integrity result audit-cli prints and the reports show: the shared verifier's report
 * (findings with class and location, per-stream summary, status and exit code) plus what was
 * verified and when.
 */
import type { VerificationReport } from './report.js';

export type { Finding, FindingClass, StreamReport, VerificationStatus } from './report.js';

/** The integrity result of one source. */
export interface IntegritySummary extends Omit<VerificationReport, 'summary' | 'records'> {
  /** What was verified (`journal logs/audit.log`, `loki http://…`). */
  readonly source: string;
  /** Files (journal segments) read, when the source has files. */
  readonly segments?: number;
  /** When it was verified (ISO-8601). */
  readonly verifiedAt: string;
  /** Witnesses checked (`--witness`), when any. */
  readonly witnesses?: readonly string[];
  /** Entries read from the witnesses. */
  readonly witnessEntries?: number;
}
