/**
 * Test helpers for signing and verification: a real LoggerProvider with
 * [SigningProcessor, SimpleLogRecordProcessor(InMemoryLogRecordExporter)], keys, and journal lines.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '@opentelemetry/api-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR, EVENT_NAMES } from '../../src/events/semconv.js';
import { signedPartsOf } from '../../src/record/signed-log.js';
import { journalLineOf } from '../../src/record/journal-line.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { SigningProcessor, type SigningProcessorOptions } from '../../src/processors/signing/signing-processor.js';

/** Two random 32-byte secrets, base64. */
export const SECRET_1 = randomBytes(32).toString('base64');
export const SECRET_2 = randomBytes(32).toString('base64');

/** An in-memory exporter that keeps its records after shutdown, so tests can inspect them. */
export class KeepingExporter extends InMemoryLogRecordExporter {
  override async shutdown(): Promise<void> {}
}

/** A signing pipeline under test. */
export interface Pipeline {
  readonly provider: LoggerProvider;
  readonly signer: SigningProcessor;
  readonly exporter: InMemoryLogRecordExporter;
  readonly logger: Logger;
  readonly diagnostics: AuditDiagnostics;
  /** Emits `n` lead-ingested records with ids LEAD-<start>…. */
  emitLeads(n: number, start?: number): void;
  /** Exported records so far. */
  records(): ReadableLogRecord[];
  /** Journal lines of the exported records. */
  lines(): string[];
}

/** Builds a pipeline; the signer is bound to the provider (shutdown seal before provider shutdown) unless `bind: false`. */
export function pipeline(options: SigningProcessorOptions & { bind?: boolean } = {}): Pipeline {
  const diagnostics = options.diagnostics ?? new AuditDiagnostics();
  const signer = new SigningProcessor({
    keyring: options.integrity === false ? undefined : keyringOf({ k1: SECRET_1 }),
    sealIntervalMs: 0,
    sealEveryRecords: 0,
    ...options,
    diagnostics,
  });
  const exporter = new KeepingExporter();
  const provider = new LoggerProvider({ processors: [signer, new SimpleLogRecordProcessor({ exporter })] });
  if (options.bind !== false) signer.bindProvider(provider);
  const logger = provider.getLogger('orchestrator-audit');
  return {
    provider,
    signer,
    exporter,
    logger,
    diagnostics,
    emitLeads(n: number, start = 1): void {
      for (let i = start; i < start + n; i++) {
        logger.emit({
          eventName: EVENT_NAMES.lead_ingested,
          severityNumber: SeverityNumber.INFO,
          severityText: 'INFO',
          body: `Lead LEAD-${i} ingested`,
          attributes: {
            [ATTR.eventType]: 'lead_ingested',
            [ATTR.leadId]: `LEAD-${i}`,
            [ATTR.workflow]: 'wf-main',
            [ATTR.leadData]: { score: i * 1.5, tags: ['a', 'b'], nested: { ok: true } },
          },
        });
      }
    },
    records: () => exporter.getFinishedLogRecords(),
    lines: () =>
      exporter.getFinishedLogRecords().map((r) => {
        const parts = signedPartsOf(r);
        if (!parts) throw new Error('record was not signed');
        return journalLineOf(parts);
      }),
  };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `cond()` holds, at most `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(5);
  }
  return cond();
}
