import path from 'node:path';
import { errorText } from '../../events/error-text.js';

/**
 * Errors of the journal: for readers, a journal that does not exist and a file that cannot be
 * read; for writers, a journal that another writer holds (its lock file).
 */

/**
 * No journal at the given path: neither the active file nor any rotated segment exists, or the
 * path names a directory (a journal is named by its active file, e.g. `logs/audit.log`).
 */
export class JournalNotFoundError extends Error {
  override readonly name = 'JournalNotFoundError';
  /** The active-file path that was looked for. */
  readonly journalPath: string;
  /** The path is a directory, not a journal file. */
  readonly isDirectory: boolean;

  constructor(journalPath: string, isDirectory = false) {
    super(
      isDirectory
        ? `${journalPath} is a directory, not an audit journal: name the journal's active file (e.g. ${path.join(journalPath, 'audit.log')})`
        : `no audit journal at ${journalPath} (neither the file nor rotated segments of it exist)`,
    );
    this.journalPath = journalPath;
    this.isDirectory = isDirectory;
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
    const detail = errorText(cause);
    super(`cannot read audit journal file ${location}: ${detail}`, { cause });
    this.location = location;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** Who holds a journal's writer lock, as recorded in its lock file. */
export interface JournalLockOwner {
  /** Process id of the writer. */
  readonly pid: number;
  /** Host name of the machine the writer runs on. */
  readonly hostname: string;
  /** When the writer process started (ISO 8601). */
  readonly startedAt: string;
  /** When the writer took the lock (ISO 8601). */
  readonly acquiredAt: string;
  /** Linux: the boot id of the machine when the writer took the lock (a reboot makes the lock stale). */
  readonly bootId?: string;
  /** Linux: the writer's start time in clock ticks after boot (a live pid with another start time is a reused pid). */
  readonly startTicks?: string;
}

/**
 * A journal already has a writer (one process writes a journal at a time). Thrown by
 * `openJournal` at start-up; readers never take the lock and never see this error.
 */
export class JournalLockedError extends Error {
  override readonly name = 'JournalLockedError';
  /** The journal's active-file path. */
  readonly journalPath: string;
  /** The lock file (`<journal>.lock`). */
  readonly lockPath: string;
  /** The recorded owner; `undefined` when the lock file holds no readable owner. */
  readonly owner: JournalLockOwner | undefined;
  /** Whether the owner is this very process (the journal was opened twice without closing it). */
  readonly ownedByThisProcess: boolean;

  constructor(
    journalPath: string,
    lockPath: string,
    owner: JournalLockOwner | undefined,
    ownedByThisProcess: boolean,
    detail?: string,
  ) {
    super(lockedMessage(journalPath, lockPath, owner, ownedByThisProcess, detail));
    this.journalPath = journalPath;
    this.lockPath = lockPath;
    this.owner = owner;
    this.ownedByThisProcess = ownedByThisProcess;
  }
}

function lockedMessage(
  journalPath: string,
  lockPath: string,
  owner: JournalLockOwner | undefined,
  self: boolean,
  detail: string | undefined,
): string {
  const head = `audit journal ${journalPath} already has a writer`;
  const tail = 'Only one process may write a journal; readers (audit-cli, queries, verification) need no lock.';
  if (self) {
    return (
      `${head}: this process (pid ${process.pid}) opened it and has not shut it down. ` +
      `Shut the first journal down (provider / logger shutdown) before opening it again, or share the opened journal. ${tail}`
    );
  }
  if (!owner) {
    return (
      `${head}: lock file ${lockPath} exists but names no owner${detail ? ` (${detail})` : ''}. ` +
      `If no process writes this journal, delete ${lockPath} and start again. ${tail}`
    );
  }
  const who = `pid ${owner.pid} on host ${owner.hostname} (process started ${owner.startedAt}, lock taken ${owner.acquiredAt})`;
  return (
    `${head}: ${who}${detail ? `, ${detail}` : ''}. ` +
    `Stop that process or give this one another auditFile; if pid ${owner.pid} on ${owner.hostname} no longer runs, delete ${lockPath} and start again. ${tail}`
  );
}
