/**
 * What a verification reports: one class per record, findings (every class but `ok`) with their
 * location, a summary per stream, and an overall status with the audit-cli exit code.
 */

/** Classes a record (or a range of missing/unsealed records) is given. See docs/integrity.md. */
export type FindingClass =
  | 'ok'
  | 'modified'
  | 'missing'
  | 'missing-stream'
  | 'inserted'
  | 'reordered'
  | 'unknown-key'
  | 'unsealed-tail'
  | 'unclosed'
  | 'accounted-loss'
  | 'unsigned'
  | 'malformed'
  | 'witness-mismatch';

/** Every class, in report order. */
export const FINDING_CLASSES: readonly FindingClass[] = [
  'ok',
  'modified',
  'missing',
  'missing-stream',
  'inserted',
  'reordered',
  'unknown-key',
  'unsealed-tail',
  'unclosed',
  'accounted-loss',
  'unsigned',
  'malformed',
  'witness-mismatch',
];

/**
 * Classes that are not tampering but leave the trail incomplete: `unsealed-tail` (records after
 * the last seal of a live or crashed writer) and `unclosed` (a stream that ended without its
 * shutdown seal and is not being written now: a crash, or a cut).
 */
export const INCOMPLETE_CLASSES: ReadonlySet<FindingClass> = new Set<FindingClass>(['unsealed-tail', 'unclosed']);

/**
 * Classes that are not tampering: `ok`, the {@link INCOMPLETE_CLASSES}, and `accounted-loss` (a gap
 * that a signed loss record of the writer declares: records it could not write).
 */
export const NON_TAMPER_CLASSES: ReadonlySet<FindingClass> = new Set<FindingClass>([
  'ok',
  ...INCOMPLETE_CLASSES,
  'accounted-loss',
]);

/** A problem found, with where it is. */
export interface Finding {
  /** Never `ok`. */
  readonly class: Exclude<FindingClass, 'ok'>;
  /** Where: `logs/audit.log:42`, a Loki position, `memory#3`; for ranges, the record that reveals them. */
  readonly location: string;
  /** Stream concerned, when known. */
  readonly stream?: string;
  /** Sequence number concerned (first of a range), when known. */
  readonly seq?: number;
  /** Last sequence number of a range (`missing`, `missing-stream`, `unsealed-tail`). */
  readonly seqTo?: number;
  /** Human-readable explanation (no record content). */
  readonly detail: string;
}

/** The class one input record was given (only with `perRecord`). */
export interface RecordVerdict {
  readonly location: string;
  readonly stream?: string;
  readonly seq?: number;
  class: FindingClass;
}

/** How a stream ended up. */
export type StreamStatus = 'clean' | 'recovered' | 'live' | 'unsealed' | 'unclosed' | 'tampered';

/** Summary of one stream. */
export interface StreamReport {
  readonly stream: string;
  /** Signed records read for the stream (duplicates and forgeries included). */
  readonly records: number;
  /** Records whose signature and chain position verified (`ok` or `reordered`). */
  readonly verified: number;
  /** Unsigned records carrying this stream id. */
  readonly unsigned: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  /** Sequence number of the last valid seal, and its reason. */
  readonly lastSeal?: { readonly seq: number; readonly reason: string };
  /** The stream ends with a shutdown seal. */
  readonly sealed: boolean;
  /**
   * The stream this one links to (`audit.stream.previous` of its first record), and whether that
   * link checked out; `explained` when the stream is absent but a signed retention record names
   * it with that head.
   */
  readonly previous?: {
    readonly stream: string;
    readonly seq: number;
    readonly found: boolean;
    readonly matches?: boolean;
    readonly explained?: 'retention';
  };
  /** Id of the later stream that links to this one (a restart), if any. */
  readonly next?: string;
  /** Findings attributed to this stream (accounted loss not included). */
  readonly findings: number;
  /** Records of this stream declared lost by loss records (`accounted-loss`), when any. */
  readonly lost?: number;
  /**
   * `clean` (ends with its shutdown seal), `recovered` (no shutdown seal, but a later stream links
   * to its last record: a crash and restart), `live` (the stream being written now, nothing after
   * its last seal), `unsealed` (the stream being written now, records after its last seal),
   * `unclosed` (ended without its shutdown seal, no later stream links to it, not being written
   * now: a crash or a cut), `tampered` (any other finding).
   */
  readonly status: StreamStatus;
}

/**
 * Overall status: `clean` exit 0, `tampered` exit 1, `unsealed` (incomplete: unsealed tails,
 * unclosed streams) exit 2,
 * `accounted-loss` (nothing but gaps declared by the writer's loss records) exit 4. Precedence
 * 1 > 2 > 4 > 0: a trail with tampering is `tampered` whatever else it has.
 */
export type VerificationStatus = 'clean' | 'tampered' | 'unsealed' | 'accounted-loss';

/** The result of a verification. */
export interface VerificationReport {
  readonly status: VerificationStatus;
  /** audit-cli integrity exit code: 0 clean, 1 tampering found, 2 incomplete (unsealed tails, unclosed streams), 4 only accounted loss. */
  readonly exitCode: VerificationExitCode;
  /** Items pushed (records and malformed lines). */
  readonly recordsRead: number;
  /** Records whose signature and chain position verified. */
  readonly recordsVerified: number;
  /** Number of findings by class (a range finding counts once). */
  readonly countsByClass: { readonly [cls: string]: number };
  readonly streams: readonly StreamReport[];
  /** Findings, in the order found (at most `maxFindings`; see `findingsOmitted`). */
  readonly findings: readonly Finding[];
  /** Findings counted but not listed because of `maxFindings`. */
  readonly findingsOmitted: number;
  /** Locations of torn lines (a crash interrupted a write); not findings by themselves. */
  readonly tornLines: readonly string[];
  /** Per-record classes, when asked for (`perRecord`). */
  readonly records?: readonly RecordVerdict[];
  /** What the findings most likely mean, when they have a common cause (e.g. a wrong key). */
  readonly hint?: string;
  /** Human-readable multi-line summary. */
  readonly summary: string;
}

/** Exit codes of `audit-cli integrity` that a verification can produce (3 is a usage or I/O error). */
export type VerificationExitCode = 0 | 1 | 2 | 4;

/** Overall status of a set of finding classes. */
export function statusOf(classes: Iterable<FindingClass>): VerificationStatus {
  let unsealed = false;
  let lost = false;
  for (const c of classes) {
    if (INCOMPLETE_CLASSES.has(c)) unsealed = true;
    else if (c === 'accounted-loss') lost = true;
    else if (!NON_TAMPER_CLASSES.has(c)) return 'tampered';
  }
  return unsealed ? 'unsealed' : lost ? 'accounted-loss' : 'clean';
}

const EXIT_CODES: Readonly<Record<VerificationStatus, VerificationExitCode>> = {
  clean: 0,
  tampered: 1,
  unsealed: 2,
  'accounted-loss': 4,
};

/** Exit code of a status. */
export function exitCodeOf(status: VerificationStatus): VerificationExitCode {
  return EXIT_CODES[status];
}

const STATUS_TEXT: Readonly<Record<VerificationStatus, string>> = {
  clean: 'CLEAN: every record verified; no stream ends with unsealed records.',
  unsealed:
    'UNSEALED: no tampering found, but the trail is incomplete: records after the last seal of a running writer, or streams that ended without closing (crash or cut).',
  tampered: 'TAMPERED: the audit trail was altered (see findings).',
  'accounted-loss':
    'ACCOUNTED LOSS: no tampering found; records are missing only where the writer declared in signed loss records that it could not write them.',
};

/**
 * The likely cause behind a report's findings, if there is one: when signed records were read but
 * not one verified, the verification key is almost certainly not the key that signed them
 * (tampering would leave the untouched records verifying).
 */
export function hintOf(report: Pick<VerificationReport, 'streams' | 'recordsVerified'>): string | undefined {
  const signed = report.streams.reduce((n, s) => n + s.records, 0);
  if (signed === 0 || report.recordsVerified > 0) return undefined;
  return `0 of ${signed} signed record(s) verified: most likely the wrong key (the verification keys do not hold the key that signed these records), not tampering of every record. Check the keys before reading the findings.`;
}

/** Human-readable summary of a report's parts. */
export function renderSummary(report: Omit<VerificationReport, 'summary'>, maxLines = 50): string {
  const lines: string[] = [];
  lines.push(
    `${report.recordsRead} item(s) read, ${report.recordsVerified} record(s) verified, ${report.streams.length} stream(s)`,
  );
  for (const s of report.streams) {
    const range = s.firstSeq !== undefined ? `seq ${s.firstSeq}-${s.lastSeq}` : 'no signed records';
    const link = s.previous ? `, continues ${s.previous.stream}#${s.previous.seq}${linkNote(s.previous)}` : '';
    lines.push(
      `  stream ${s.stream || '(none)'}: ${s.records} record(s), ${range}, ${s.verified} verified, ${s.sealed ? 'sealed' : 'not sealed'}${link} → ${s.status}`,
    );
  }
  const shown = report.findings.slice(0, maxLines);
  for (const f of shown) {
    const where =
      f.stream !== undefined
        ? ` ${f.stream}${f.seq !== undefined ? '#' + f.seq + (f.seqTo !== undefined && f.seqTo !== f.seq ? '-' + f.seqTo : '') : ''}`
        : '';
    lines.push(`  ${f.class.padEnd(13)} ${f.location}${where}: ${f.detail}`);
  }
  const more = report.findings.length - shown.length + report.findingsOmitted;
  if (more > 0) lines.push(`  … ${more} more finding(s)`);
  if (report.tornLines.length > 0)
    lines.push(
      `  ${report.tornLines.length} torn line(s) from interrupted writes: ${report.tornLines.slice(0, 5).join(', ')}`,
    );
  const counts = Object.entries(report.countsByClass)
    .map(([c, n]) => `${c}: ${n}`)
    .join(', ');
  if (counts) lines.push(`Findings by class: ${counts}`);
  if (report.hint !== undefined) lines.push(`Hint: ${report.hint}`);
  lines.push(STATUS_TEXT[report.status]);
  return lines.join('\n');
}

/** How a stream's link to its predecessor checked out, as a note after `continues <stream>#<seq>`. */
export function linkNote(previous: NonNullable<StreamReport['previous']>): string {
  if (previous.found) return previous.matches === false ? ' (link MISMATCH)' : '';
  return previous.explained === 'retention' ? ' (removed by retention)' : ' (MISSING)';
}
