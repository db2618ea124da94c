/**
 * The journal's single-writer lock: `<journal>.lock` beside the active file, created atomically
 * (`open(…, 'wx')`) and holding the owner `{pid, hostname, startedAt, acquiredAt}` as JSON.
 * A second writer fails at start-up with {@link JournalLockedError}; readers never take it.
 *
 * A lock whose owner is gone is taken over and counted (`journal.stale-lock`): the owner ran on
 * this host and `process.kill(pid, 0)` says `ESRCH`; or, on Linux, where the lock also records the
 * owner's boot id and kernel start time ({@link processIdentity}), the machine has rebooted since
 * or the pid now belongs to a process that started later (pid reuse after a crash); or, without
 * those, it names this process's pid but an earlier process start (a restarted container whose
 * process got the same pid). A lock file that names no
 * owner (a crash between creating and writing it) is taken over once it is a few seconds old.
 * Takeovers are serialized through `<journal>.lock.takeover` (also created with `'wx'`), so two
 * processes finding the same stale lock cannot both remove it.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { JOURNAL_FAILURE } from './journal-failures.js';
import { JournalLockedError, type JournalLockOwner } from './errors.js';
import { isNotFound } from './layout.js';
import { currentBootId, processIdentity } from './process-identity.js';

/** Suffix of the lock file, appended to the active file's path. */
export const LOCK_SUFFIX = '.lock';

/** Suffix of the short-lived file that serializes stale-lock takeovers. */
const TAKEOVER_SUFFIX = '.takeover';

/** An owner-less lock file younger than this may still be being written by its creator. */
const UNNAMED_GRACE_MS = 5_000;

/** Rounds of create / inspect / take over before giving up. */
const ATTEMPTS = 8;

/** Lock paths held by this thread (a second open in the same process is refused without touching the file). */
const heldHere = new Set<string>();

/** This process's start time (ms since epoch), the same in every thread of the process. */
const processStartMs = Math.round(Date.now() - process.uptime() * 1000);

/** What a lock file held when it was inspected. */
interface LockContent {
  readonly raw: string;
  readonly owner: JournalLockOwner | undefined;
  readonly ageMs: number;
}

/** Verdict on an existing lock file. */
type Verdict =
  | { readonly kind: 'held'; readonly detail?: string }
  | { readonly kind: 'stale'; readonly why: string }
  | { readonly kind: 'wait' };

/** The writer lock of one journal. Synchronous, so `openJournal` can fail before anything starts. */
export class JournalWriterLock {
  /** Path of the lock file. */
  readonly lockPath: string;
  private content: string | undefined;

  constructor(
    private readonly journalPath: string,
    private readonly diagnostics: AuditDiagnostics,
  ) {
    this.lockPath = journalPath + LOCK_SUFFIX;
  }

  /** Whether this instance holds the lock now. */
  get held(): boolean {
    return this.content !== undefined;
  }

  /**
   * Takes the lock (no-op when held). Throws {@link JournalLockedError} when another writer holds
   * it, and the file-system error when the lock file cannot be created (missing or read-only directory, …).
   */
  acquire(): void {
    if (this.content !== undefined) return;
    if (heldHere.has(this.lockPath)) throw new JournalLockedError(this.journalPath, this.lockPath, undefined, true);
    let last: LockContent | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (this.tryCreate()) return;
      const existing = readLock(this.lockPath);
      if (!existing) continue; // removed meanwhile: try again
      last = existing;
      const verdict = judge(existing);
      if (verdict.kind === 'held')
        throw new JournalLockedError(this.journalPath, this.lockPath, existing.owner, false, verdict.detail);
      if (verdict.kind === 'stale') {
        if (!this.takeOver(existing, verdict.why)) sleep(10 * (attempt + 1));
      } else {
        sleep(10 * (attempt + 1));
      }
    }
    throw new JournalLockedError(
      this.journalPath,
      this.lockPath,
      last?.owner,
      false,
      'the lock kept changing hands while this process tried to take it',
    );
  }

  /**
   * Gives the lock up (no-op when not held). Removes the file only if it still holds what this
   * instance wrote. Never throws: a lock left behind is taken over as stale by the next writer.
   */
  release(): void {
    const mine = this.content;
    if (mine === undefined) return;
    this.content = undefined;
    heldHere.delete(this.lockPath);
    try {
      if (readFileSync(this.lockPath, 'utf8') === mine) unlinkSync(this.lockPath);
    } catch {
      // already gone, or unreadable: nothing of ours to remove
    }
  }

  /** Creates the lock file with our owner record; false when it exists already. */
  private tryCreate(): boolean {
    const identity = processIdentity(process.pid);
    const owner: JournalLockOwner = {
      pid: process.pid,
      hostname: os.hostname(),
      startedAt: new Date(processStartMs).toISOString(),
      acquiredAt: new Date().toISOString(),
      ...(identity ? { bootId: identity.bootId, startTicks: identity.startTicks } : {}),
    };
    const text = JSON.stringify(owner) + '\n';
    const fd = openExclusive(this.lockPath);
    if (fd === undefined) return false;
    try {
      writeSync(fd, text);
    } catch (err) {
      closeSync(fd);
      unlinkQuietly(this.lockPath);
      throw err;
    }
    closeSync(fd);
    this.content = text;
    heldHere.add(this.lockPath);
    return true;
  }

  /**
   * Removes `stale` if the lock file still holds exactly it, under the takeover guard. Returns
   * false when another process is taking over at the same time (the caller waits and retries).
   */
  private takeOver(stale: LockContent, why: string): boolean {
    const guard = this.lockPath + TAKEOVER_SUFFIX;
    const fd = openExclusive(guard);
    if (fd === undefined) {
      const other = readLock(guard);
      if (other && judge(other).kind === 'stale') unlinkQuietly(guard); // a taker that died mid-takeover
      return false;
    }
    try {
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, hostname: os.hostname() }) + '\n');
      } finally {
        closeSync(fd);
      }
      const now = readLock(this.lockPath);
      if (now?.raw === stale.raw && unlinkIfPresent(this.lockPath)) {
        this.diagnostics.count(
          JOURNAL_FAILURE.staleLock,
          `${this.lockPath}: took over the lock of a writer that is gone (${why})`,
        );
      }
    } finally {
      unlinkQuietly(guard);
    }
    return true;
  }
}

/** Decides whether the writer named in `lock` still runs. */
function judge(lock: LockContent): Verdict {
  const owner = lock.owner;
  if (!owner) {
    return lock.ageMs > UNNAMED_GRACE_MS
      ? { kind: 'stale', why: `the lock file names no owner and is ${Math.round(lock.ageMs / 1000)} s old` }
      : { kind: 'wait' };
  }
  if (owner.hostname !== os.hostname()) {
    return { kind: 'held', detail: 'on another host, so whether it still runs cannot be checked from here' };
  }
  const bootId = currentBootId();
  if (owner.bootId !== undefined && bootId !== undefined && owner.bootId !== bootId) {
    return { kind: 'stale', why: `pid ${owner.pid} ran before this machine last booted` };
  }
  if (owner.pid === process.pid) {
    if (startedLater(owner))
      return { kind: 'stale', why: `pid ${owner.pid} is now this process, started after that writer` };
    return {
      kind: 'held',
      detail: 'which is this process (another worker thread, or a journal opened in another copy of the library)',
    };
  }
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return { kind: 'stale', why: `pid ${owner.pid} on ${owner.hostname} no longer runs` };
    return { kind: 'held' }; // EPERM: the process exists (another user)
  }
  if (owner.startTicks !== undefined) {
    const now = processIdentity(owner.pid);
    if (now !== undefined && now.startTicks !== owner.startTicks) {
      return {
        kind: 'stale',
        why: `pid ${owner.pid} now belongs to another process, started after that writer (pid reused)`,
      };
    }
  }
  return { kind: 'held' };
}

/** Whether the lock's owner, which names this process's pid, was an earlier process. */
function startedLater(owner: JournalLockOwner): boolean {
  if (owner.startTicks !== undefined) {
    const self = processIdentity(process.pid);
    if (self !== undefined) return self.startTicks !== owner.startTicks;
  }
  const started = Date.parse(owner.startedAt);
  return Number.isFinite(started) && Math.abs(started - processStartMs) > 2_000;
}

/** Reads a lock file; `undefined` when it does not exist. */
function readLock(file: string): LockContent | undefined {
  try {
    const raw = readFileSync(file, 'utf8');
    const ageMs = Date.now() - statSync(file).mtimeMs;
    return { raw, owner: parseOwner(raw), ageMs };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function parseOwner(raw: string): JournalLockOwner | undefined {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (typeof v !== 'object' || v === null) return undefined;
    const { pid, hostname, startedAt, acquiredAt, bootId, startTicks } = v;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof hostname !== 'string') return undefined;
    return {
      pid,
      hostname,
      startedAt: typeof startedAt === 'string' ? startedAt : '?',
      acquiredAt: typeof acquiredAt === 'string' ? acquiredAt : '?',
      ...(typeof bootId === 'string' && bootId !== '' ? { bootId } : {}),
      ...(typeof startTicks === 'string' && /^\d+$/.test(startTicks) ? { startTicks } : {}),
    };
  } catch {
    return undefined;
  }
}

/** `open(file, 'wx')`: a descriptor, or `undefined` when the file exists. */
function openExclusive(file: string): number | undefined {
  try {
    return openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
}

/** Removes `file`; false when it was gone already. */
function unlinkIfPresent(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}

/** Blocks the thread for `ms` (only while contending for a lock at start-up). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Whether a writer holds the journal at `journalPath` now, judged from its lock file without
 * taking it (readers such as `audit-cli integrity` use it): true when the lock names a process
 * that still runs (or runs on another host, or is being created); false when there is no lock or
 * its owner is gone (a crash).
 */
export function journalWriterRunning(journalPath: string): boolean {
  const lock = readLock(journalPath + LOCK_SUFFIX);
  if (!lock) return false;
  return judge(lock).kind !== 'stale';
}
