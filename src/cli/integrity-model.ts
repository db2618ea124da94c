/**
 * The integrity result audit-cli prints and the reports show: findings with class and location,
 * a summary per stream, counts per class, and the resulting status and exit code.
 */
import { EXIT } from './errors.js';

/** Finding classes (the verifier's, plus `malformed` lines). `ok` is never listed as a finding. */
export const FINDING_CLASSES = ['modified', 'missing', 'inserted', 'reordered', 'unknown-key', 'unsigned', 'malformed', 'unsealed-tail'] as const;

/** Classes that do not mean tampering: a live or crashed writer. */
export const NON_TAMPER_CLASSES: ReadonlySet<string> = new Set(['ok', 'unsealed-tail']);

/** One finding. */
export interface IntegrityFinding {
  /** `modified`, `missing`, `inserted`, `reordered`, `unknown-key`, `unsigned`, `malformed`, `unsealed-tail`. */
  readonly class: string;
  /** Where: `logs/audit.log:42`, a gzipped segment's line, or a Loki position. */
  readonly location: string;
  /** Stream and sequence number concerned, when known. */
  readonly stream?: string;
  readonly seq?: number;
  /** Human-readable explanation. */
  readonly detail: string;
}

/** Per-stream summary. */
export interface StreamSummary {
  readonly stream: string;
  /** Records of the stream that verified. */
  readonly verified: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  /** The stream ends with a seal covering every record. */
  readonly sealed: boolean;
  /** Findings attributed to the stream. */
  readonly findings: number;
  /** `clean`, `unsealed` or `tampered`. */
  readonly status: IntegrityStatus;
}

/** Overall status. */
export type IntegrityStatus = 'clean' | 'unsealed' | 'tampered';

/** The integrity result of one source. */
export interface IntegritySummary {
  /** What was verified (`journal logs/audit.log`, `loki http://…`). */
  readonly source: string;
  readonly status: IntegrityStatus;
  /** 0 clean, 1 tampered, 2 only unsealed tails. */
  readonly exitCode: number;
  /** Lines or records read. */
  readonly recordsRead: number;
  /** Records whose signature and chain position verified. */
  readonly recordsVerified: number;
  /** Files (journal segments) read, when the source has files. */
  readonly segments?: number;
  readonly countsByClass: { readonly [cls: string]: number };
  readonly streams: readonly StreamSummary[];
  readonly findings: readonly IntegrityFinding[];
  /** When it was verified (ISO-8601). */
  readonly verifiedAt: string;
}

/** Status of a list of finding classes. */
export function statusOf(classes: Iterable<string>): IntegrityStatus {
  let unsealed = false;
  for (const c of classes) {
    if (c === 'unsealed-tail') unsealed = true;
    else if (!NON_TAMPER_CLASSES.has(c)) return 'tampered';
  }
  return unsealed ? 'unsealed' : 'clean';
}

/** Exit code of a status. */
export function exitCodeOf(status: IntegrityStatus): number {
  return status === 'clean' ? EXIT.ok : status === 'unsealed' ? EXIT.unsealed : EXIT.tampered;
}
