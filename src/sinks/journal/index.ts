/** The local signed journal: writer (sink processor with rotation, gzip, retention, single-writer lock) and reader. */
export { openJournal, type OpenedJournal, type JournalSigner } from './open-journal.js';
export {
  resolveJournalOptions,
  DEFAULT_AUDIT_FILE,
  type JournalOptions,
  type ResolvedJournalOptions,
  type FsyncPolicy,
} from './options.js';
export { JournalProcessor } from './journal-processor.js';
export { JOURNAL_FAILURE, type AppenderStats } from './appender.js';
export {
  readJournal,
  readJournalRecords,
  listJournal,
  type JournalEntry,
  type JournalRecordEntry,
  type JournalProgress,
  type ReadJournalOptions,
} from './reader.js';
export { JournalNotFoundError, JournalReadError, JournalLockedError, type JournalLockOwner } from './errors.js';
export { LOCK_SUFFIX } from './writer-lock.js';
export { JournalLayout, type JournalSegment } from './layout.js';
export type { JournalInspection } from './recovery.js';
