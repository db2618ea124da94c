/**
 * A webhook witness: every seal POSTed to a URL outside the host (the webhook delivery machinery:
 * batching, retries with backoff, optional body signature). The receiver keeps what it gets; for
 * `audit-cli integrity --witness URL`, a GET of the same URL returns it (JSON lines or a JSON
 * array of the received events or payloads).
 */
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { defaultDiagnostics, type AuditDiagnostics } from '../../events/diagnostics.js';
import { SEAL_EVENT_NAME } from '../../record/record-kinds.js';
import { signedPartsOf } from '../../record/signed-log.js';
import { httpTargetUrl } from '../http-target.js';
import { WebhookEndpoint } from '../webhooks/endpoint.js';
import { resolveWebhookOptions, type WebhookOptions } from '../webhooks/options.js';

/** Options of a {@link WebhookWitness}: the webhook options (seals are sent at once unless `flushIntervalMs` says otherwise). */
export interface WebhookWitnessOptions extends WebhookOptions {
  /** Where failures and drops are counted (default: the process-wide diagnostics). */
  readonly diagnostics?: AuditDiagnostics;
  /** How long `forceFlush`/`shutdown` wait for deliveries (default 10,000 ms). */
  readonly flushTimeoutMs?: number;
}

/** POSTs every signed seal to a URL. Place it after the signing processor; `onEmit` never throws. */
export class WebhookWitness implements LogRecordProcessor {
  private readonly endpoint: WebhookEndpoint;
  private readonly flushTimeoutMs: number;

  /** @throws TypeError for a URL that is not http(s) or carries credentials. */
  constructor(
    /** The receiver's URL. */
    readonly url: string,
    options: WebhookWitnessOptions = {},
  ) {
    httpTargetUrl(url, 'witness');
    const { diagnostics, flushTimeoutMs, ...webhook } = options;
    this.endpoint = new WebhookEndpoint(
      url,
      resolveWebhookOptions({ flushIntervalMs: 0, ...webhook }),
      diagnostics ?? defaultDiagnostics,
    );
    this.flushTimeoutMs = flushTimeoutMs ?? 10_000;
  }

  /** Queues the record when it is a signed seal. */
  onEmit(record: ReadableLogRecord): void {
    if (record.eventName !== SEAL_EVENT_NAME) return;
    const parts = signedPartsOf(record);
    if (!parts || parts.sig === '') return;
    this.endpoint.enqueue(record);
  }

  /** Delivers what is queued, waiting at most the flush timeout. */
  forceFlush(): Promise<void> {
    return this.endpoint.flush(Date.now() + this.flushTimeoutMs);
  }

  /** Delivers what it can within the flush timeout, then drops (and counts) the rest. */
  shutdown(): Promise<void> {
    return this.endpoint.shutdown(Date.now() + this.flushTimeoutMs);
  }
}
