/**
 * A real sdk-logs LoggerProvider for sink tests: a minimal stand-in signer that follows the record
 * contract (body := canonical content, attribute `audit.sig` := base64url HMAC) in front of the
 * processors under test.
 */
import { createHmac } from 'node:crypto';
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { LoggerProvider, type LogRecordProcessor, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { ATTR, EVENT_NAMES } from '../../src/events/semconv.js';
import { canonicalContent, type AuditRecordContent } from '../../src/record/audit-record.js';
import type { CanonicalValue } from '../../src/record/canonical.js';

/** Key of the test signer. */
export const TEST_KEY = Buffer.from('test-signing-key-0123456789abcdef');

class ContractSigner implements LogRecordProcessor {
  private seq = 0;
  private prev = '';
  onEmit(log: ReadWriteLogRecord): void {
    const [sec, nanos] = log.hrTime;
    const rec: AuditRecordContent = {
      v: 1,
      stream: 'test-stream',
      seq: ++this.seq,
      prev: this.prev,
      kid: 'k1',
      ts: new Date(sec * 1000 + Math.floor(nanos / 1e6)).toISOString(),
      tsNanos: nanos % 1e6,
      event: log.eventName ?? null,
      sev: log.severityText ?? null,
      sevNum: log.severityNumber ?? null,
      body: (log.body ?? null) as CanonicalValue,
      attrs: JSON.parse(JSON.stringify(log.attributes)) as { [key: string]: CanonicalValue },
    };
    const canonical = canonicalContent(rec);
    const sig = createHmac('sha256', TEST_KEY).update(canonical).digest('base64url');
    this.prev = sig;
    log.setBody(canonical);
    log.setAttribute(ATTR.sig, sig);
    log.setAttribute(ATTR.stream, rec.stream);
    log.setAttribute(ATTR.seq, rec.seq);
    log.setAttribute(ATTR.kid, rec.kid);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** A provider with the contract signer followed by `sinks`, and a logger from it. */
export function testPipeline(...sinks: LogRecordProcessor[]): { provider: LoggerProvider; logger: Logger } {
  const provider = new LoggerProvider({ processors: [new ContractSigner(), ...sinks] });
  return { provider, logger: provider.getLogger('test') };
}

/** Emits one record shaped like the AuditLogger's `logError`. */
export function emitError(
  logger: Logger,
  errorType: string,
  message: string,
  leadId: string,
  workflow = 'sales',
): void {
  logger.emit({
    eventName: EVENT_NAMES.error,
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: `${errorType}: ${message}`,
    attributes: {
      [ATTR.eventType]: 'error',
      [ATTR.errorType]: errorType,
      [ATTR.errorMessage]: message,
      [ATTR.leadId]: leadId,
      [ATTR.workflow]: workflow,
    },
  });
}

/** Emits one record shaped like `logLeadIngested`. */
export function emitIngested(logger: Logger, leadId: string, workflow = 'sales'): void {
  logger.emit({
    eventName: EVENT_NAMES.lead_ingested,
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: `lead ${leadId} ingested`,
    attributes: { [ATTR.eventType]: 'lead_ingested', [ATTR.leadId]: leadId, [ATTR.workflow]: workflow },
  });
}
