/**
 * A file witness: every seal, as its journal line, appended to a file that should live on another
 * volume than the journal (another disk, a network share, an append-only mount). An attacker who
 * rewrites or deletes the journal then still has to reach that file to hide it.
 */
import { appendFileSync } from 'node:fs';
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { errorCodeText } from '../../events/error-text.js';
import { defaultDiagnostics, type AuditDiagnostics } from '../../events/diagnostics.js';
import { journalLineOf } from '../../record/journal-line.js';
import { SEAL_EVENT_NAME } from '../../record/record-kinds.js';
import { signedPartsOf } from '../../record/signed-log.js';
import { WITNESS_FAILURE } from './witness-failure.js';

/** Appends every signed seal to a file. Place it after the signing processor; `onEmit` never throws. */
export class FileWitness implements LogRecordProcessor {
  constructor(
    /** The witness file (created when missing, only ever appended to). */
    readonly path: string,
    private readonly diagnostics: AuditDiagnostics = defaultDiagnostics,
  ) {}

  /** Appends the record when it is a signed seal (synchronously: seals are rare and must not wait). */
  onEmit(record: ReadableLogRecord): void {
    if (record.eventName !== SEAL_EVENT_NAME) return;
    const parts = signedPartsOf(record);
    if (!parts || parts.sig === '') return;
    try {
      appendFileSync(this.path, journalLineOf(parts) + '\n', { flag: 'a' });
    } catch (err) {
      this.diagnostics.count(WITNESS_FAILURE.write, `file witness: ${errorCodeText(err)}`);
    }
  }

  /** Nothing is buffered. */
  async forceFlush(): Promise<void> {}

  /** Nothing to close. */
  async shutdown(): Promise<void> {}
}
