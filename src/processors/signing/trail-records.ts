/**
 * Records the SDK writes about the trail itself, signed and chained in the stream being written
 * like any record: the retention record a journal writes before deleting expired segments.
 */
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { RETENTION_EVENT_NAME } from '../../record/record-kinds.js';
import { retentionAttributes, type RemovalRecorder } from '../../record/retention-record.js';
import type { SigningProcessor } from './signing-processor.js';

/**
 * A {@link RemovalRecorder} that emits retention records through `logger` (a logger of the
 * provider `signer` is in). It answers true only when the record was signed into the signer's
 * stream. Never throws.
 */
export function removalRecorder(signer: SigningProcessor, logger: Logger): RemovalRecorder {
  return (removal) => {
    const before = signer.head();
    try {
      logger.emit({
        eventName: RETENTION_EVENT_NAME,
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: `retention removed ${removal.segments.length} segment(s) holding records of ${removal.streams.length} stream(s)`,
        attributes: retentionAttributes(removal),
      });
    } catch {
      return false;
    }
    const after = signer.head();
    return (
      after !== undefined &&
      after.sig !== '' &&
      (before === undefined || after.seq > before.seq || after.stream !== before.stream)
    );
  };
}
