/**
 * Test helpers for the journal: a temporary directory, a real LoggerProvider pipeline
 * (signer → journal processor) and an emitter of seed-shaped events.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@opentelemetry/api-logs';
import { LoggerProvider, type LogRecordProcessor, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR, eventNameFor } from '../../src/events/semconv.js';
import { canonicalContent } from '../../src/record/audit-record.js';
import type { StreamHead } from '../../src/sinks/journal-service.js';
import { openJournal, type JournalOptions, type OpenedJournal } from '../../src/sinks/journal/index.js';
import { recordContentOf } from '../../src/sinks/journal/unsigned-record.js';

/** The HMAC key used by tests. */
export const TEST_KEY = Buffer.from('journal-test-key-0123456789abcdef');

/** A minimal signer for journal tests (same record shape and chain rules as the SigningProcessor). */
export class TestSigner implements LogRecordProcessor {
  readonly stream = randomBytes(8).toString('hex');
  private seq = 0;
  private prev = '';
  constructor(readonly previous?: StreamHead) {}
  onEmit(log: ReadWriteLogRecord): void {
    const rec = recordContentOf(log, { stream: this.stream, seq: ++this.seq, prev: this.prev, kid: 'k1' });
    const canonical = canonicalContent(rec);
    const sig = createHmac('sha256', TEST_KEY).update(canonical).digest('base64url');
    this.prev = sig;
    log.setBody(canonical);
    log.setAttributes({ [ATTR.sig]: sig, [ATTR.stream]: this.stream, [ATTR.seq]: rec.seq, [ATTR.kid]: 'k1' });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** A signed pipeline writing to a journal. */
export interface Pipeline {
  readonly provider: LoggerProvider;
  readonly logger: Logger;
  readonly journal: OpenedJournal;
  readonly diagnostics: AuditDiagnostics;
  readonly signer?: TestSigner;
}

/** Opens a journal and a provider with [signer, journal processor] (no signer when `signed` is false). */
export function pipeline(options: JournalOptions, signed = true): Pipeline {
  const diagnostics = new AuditDiagnostics();
  const journal = openJournal(options, diagnostics);
  const signer = signed ? new TestSigner(journal.previousHead()) : undefined;
  const provider = new LoggerProvider({ processors: signer ? [signer, journal.processor] : [journal.processor] });
  return { provider, logger: provider.getLogger('journal-test'), journal, diagnostics, ...(signer ? { signer } : {}) };
}

/** What a test event carries. */
export interface TestEvent {
  readonly type: string;
  readonly leadId?: string;
  readonly workflow?: string;
  readonly message?: string;
  readonly attrs?: Record<string, string | number | boolean>;
  readonly at?: Date;
  readonly error?: boolean;
}

/** Emits one seed-shaped event. */
export function emit(logger: Logger, ev: TestEvent): void {
  logger.emit({
    eventName: eventNameFor(ev.type),
    severityNumber: ev.error ? 17 : 9,
    severityText: ev.error ? 'ERROR' : 'INFO',
    body: ev.message ?? `${ev.type} ${ev.leadId ?? ''}`.trim(),
    ...(ev.at ? { timestamp: ev.at } : {}),
    attributes: {
      [ATTR.eventType]: ev.type,
      [ATTR.workflow]: ev.workflow ?? 'sales',
      ...(ev.leadId !== undefined ? { [ATTR.leadId]: ev.leadId } : {}),
      ...ev.attrs,
    },
  });
}

/** A fresh temporary directory and its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journal-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Waits until `check` is true, polling, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
