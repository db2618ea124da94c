/**
 * Errors of journal readers: a journal that does not exist, and a file that cannot be read.
 */

/** No journal at the given path: neither the active file nor any rotated segment exists. */
export class JournalNotFoundError extends Error {
  override readonly name = 'JournalNotFoundError';
  /** The active-file path that was looked for. */
  readonly journalPath: string;

  constructor(journalPath: string) {
    super(`no audit journal at ${journalPath} (neither the file nor rotated segments of it exist)`);
    this.journalPath = journalPath;
  }
}

/** A journal file exists but could not be read (permissions, a corrupt gzip segment, …). */
export class JournalReadError extends Error {
  override readonly name = 'JournalReadError';
  /** The file that failed, and the line reached when it failed (`file:line`). */
  readonly location: string;
  /** The OS error code when there was one (`EACCES`, `Z_DATA_ERROR`, …). */
  readonly code: string | undefined;

  constructor(location: string, cause: unknown) {
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`cannot read audit journal file ${location}: ${detail}`, { cause });
    this.location = location;
    this.code = typeof code === 'string' ? code : undefined;
  }
}
