/**
 * What the AuditLogger needs from a journal: a sink processor to put after the signer, a query
 * source over what it wrote, and the head of the previous stream so a restarted signer links to it.
 */
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { AuditQuerySource } from '../query/types.js';
import type { StreamHead } from '../record/stream-head.js';

/** An opened journal. */
export interface JournalService {
  /** Sink processor: place it after the signing processor. */
  readonly processor: LogRecordProcessor;
  /** Queries over every segment of the journal (current, rotated, gzipped). */
  readonly query: AuditQuerySource;
  /** Head of the last stream found in the journal when it was opened, if any. */
  previousHead(): StreamHead | undefined;
}
