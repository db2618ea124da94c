/**
 * The journal's sink processor. Placed after the signing processor, it turns each signed OTel log
 * record into one journal line (`{"rec":<canonical>,"sig":"…"}`) and hands it to the appender.
 * Records that did not pass a signer are written as unsigned lines and counted
 * (`journal.unsigned`), never dropped silently.
 */
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { signedPartsOf } from '../../record/signed-log.js';
import { journalLineOf } from '../../record/journal-line.js';
import { describe, JOURNAL_FAILURE, type JournalAppender } from './appender.js';
import { unsignedJournalLine } from './unsigned-record.js';

/** LogRecordProcessor appending records to a journal. */
export class JournalProcessor implements LogRecordProcessor {
  constructor(
    private readonly appender: JournalAppender,
    private readonly diagnostics: AuditDiagnostics,
    private readonly beforeShutdown?: () => Promise<void>,
  ) {}

  /** Queues the record's journal line; never throws. */
  onEmit(logRecord: ReadWriteLogRecord): void {
    try {
      const parts = signedPartsOf(logRecord);
      if (parts) {
        this.appender.append(journalLineOf(parts));
        return;
      }
      this.diagnostics.count(JOURNAL_FAILURE.unsigned, `unsigned record ${logRecord.eventName ?? ''} written without signature`);
      this.appender.append(unsignedJournalLine(logRecord));
    } catch (err) {
      this.diagnostics.count(JOURNAL_FAILURE.encode, describe(err));
    }
  }

  /** Writes everything queued so far. */
  forceFlush(): Promise<void> {
    return this.appender.flush();
  }

  /** Writes everything, waits for segment maintenance and closes the file. */
  async shutdown(): Promise<void> {
    await this.beforeShutdown?.();
    await this.appender.close();
  }
}
