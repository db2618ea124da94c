/**
 * The journal's sink processor. Placed after the signing processor, it turns each signed OTel log
 * record into one journal line (`{"rec":<canonical>,"sig":"…"}`) and hands it to the appender.
 * Records that did not pass a signer are written as unsigned lines and counted
 * (`journal.unsigned`), never dropped silently.
 */
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { ATTR } from '../../events/semconv.js';
import { journalLineOf } from '../../record/journal-line.js';
import { TRAIL_EVENT_NAMES } from '../../record/record-kinds.js';
import { signedPartsOf } from '../../record/signed-log.js';
import type { JournalAppender, LineInfo } from './appender.js';
import { JOURNAL_FAILURE } from './journal-failures.js';
import { unsignedJournalLine } from './unsigned-record.js';
import { errorCodeText } from '../../events/error-text.js';

/** LogRecordProcessor appending records to a journal. */
export class JournalProcessor implements LogRecordProcessor {
  constructor(
    private readonly appender: JournalAppender,
    private readonly diagnostics: AuditDiagnostics,
    private readonly beforeShutdown?: () => Promise<void>,
  ) {}

  /** Queues the record's journal line; never throws. */
  onEmit(logRecord: ReadWriteLogRecord): void {
    let info: LineInfo | undefined;
    try {
      info = lineInfoOf(logRecord);
      const parts = signedPartsOf(logRecord);
      if (parts) {
        this.appender.append(journalLineOf(parts), info);
        return;
      }
      this.diagnostics.count(
        JOURNAL_FAILURE.unsigned,
        `unsigned record ${logRecord.eventName ?? ''} written without signature`,
      );
      this.appender.append(unsignedJournalLine(logRecord), info);
    } catch (err) {
      this.appender.lose(info, 'encode', errorCodeText(err));
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

/** The stream position the signer gave the record (none for unsigned records), and whether it must not be dropped. */
function lineInfoOf(logRecord: ReadWriteLogRecord): LineInfo {
  const stream = logRecord.attributes[ATTR.stream];
  const seq = logRecord.attributes[ATTR.seq];
  const event = logRecord.eventName;
  return {
    stream: typeof stream === 'string' ? stream : '',
    seq: typeof seq === 'number' ? seq : 0,
    essential: event !== undefined && TRAIL_EVENT_NAMES.has(event),
  };
}
