/** The diagnostics kinds counted by the journal (its writer, reader, lock and maintenance). */
export const JOURNAL_FAILURE = {
  write: 'journal.write',
  read: 'journal.read',
  overflow: 'journal.overflow',
  lost: 'journal.lost',
  closed: 'journal.closed',
  rotate: 'journal.rotate',
  compress: 'journal.compress',
  retention: 'journal.retention',
  tornLine: 'journal.torn-line',
  unsigned: 'journal.unsigned',
  encode: 'journal.encode',
  lock: 'journal.lock',
  staleLock: 'journal.stale-lock',
  loss: 'journal.loss',
} as const;
