/**
 * Real-time event streaming: a LogRecordProcessor (place it after the signing processor) that
 * fans every emitted record out to the webhook URLs added with {@link WebhookProcessor.add}.
 * `onEmit` only queues; delivery happens in the background and never blocks or throws into the
 * orchestrator.
 */
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { httpTargetUrl } from '../http-target.js';
import { defaultDiagnostics, type AuditDiagnostics } from '../../events/diagnostics.js';
import { WebhookEndpoint, type WebhookEndpointStats } from './endpoint.js';
import { resolveWebhookOptions, type WebhookOptions } from './options.js';
import { inspect, type InspectOptions } from 'node:util';
import { errorText } from '../../events/error-text.js';

/** Diagnostics kind of a record that could not be queued (internal error). */
export const WEBHOOK_ENQUEUE_FAILURE = 'webhook.enqueue';

/** Options of a {@link WebhookProcessor}. */
export interface WebhookProcessorOptions {
  /** Where failures and drops are counted (default: the process-wide diagnostics). */
  readonly diagnostics?: AuditDiagnostics;
  /** How long `forceFlush`/`shutdown` wait for deliveries (default 10,000 ms). */
  readonly flushTimeoutMs?: number;
}

/** Streams audit records to webhook URLs. */
export class WebhookProcessor implements LogRecordProcessor {
  private readonly endpoints = new Map<string, WebhookEndpoint>();
  private readonly diagnostics: AuditDiagnostics;
  private readonly flushTimeoutMs: number;
  private stopped = false;

  constructor(options: WebhookProcessorOptions = {}) {
    this.diagnostics = options.diagnostics ?? defaultDiagnostics;
    this.flushTimeoutMs = options.flushTimeoutMs ?? 10_000;
  }

  /**
   * Starts streaming to `url` (http or https). Throws `TypeError` for an invalid URL, one with
   * credentials (`user:pass@`, which fetch refuses: use the `headers` option), or one already
   * added — configuration errors surface at set-up, never while emitting.
   */
  add(url: string, options: WebhookOptions = {}): void {
    const parsed = httpTargetUrl(url, 'webhook');
    if (this.endpoints.has(url)) throw new TypeError(`webhook already added: ${parsed.origin}`);
    if (this.stopped) throw new TypeError('webhook processor is shut down');
    this.endpoints.set(url, new WebhookEndpoint(url, resolveWebhookOptions(options), this.diagnostics));
  }

  /** Stops streaming to `url` after delivering what is queued for it (within the flush timeout). */
  async remove(url: string): Promise<void> {
    const endpoint = this.endpoints.get(url);
    if (!endpoint) return;
    this.endpoints.delete(url);
    await endpoint.shutdown(Date.now() + this.flushTimeoutMs);
  }

  /** What `util.inspect` / `console.log` show: endpoints by origin with their counters, no URL paths, secrets or headers. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `WebhookProcessor ${inspect({ endpoints: [...this.endpoints.values()], stopped: this.stopped }, options)}`;
  }

  /** URLs currently streamed to. */
  urls(): string[] {
    return [...this.endpoints.keys()];
  }

  /** Delivery counters per URL. */
  stats(): Record<string, WebhookEndpointStats> {
    const out: Record<string, WebhookEndpointStats> = {};
    for (const [url, endpoint] of this.endpoints) out[url] = endpoint.stats();
    return out;
  }

  /** Queues the record for every URL; never throws. */
  onEmit(logRecord: ReadWriteLogRecord): void {
    if (this.endpoints.size === 0) return;
    for (const endpoint of this.endpoints.values()) {
      try {
        endpoint.enqueue(logRecord);
      } catch (err) {
        this.diagnostics.count(WEBHOOK_ENQUEUE_FAILURE, errorText(err));
      }
    }
  }

  /** Delivers everything queued, waiting at most the flush timeout. */
  async forceFlush(): Promise<void> {
    const deadline = Date.now() + this.flushTimeoutMs;
    await Promise.all([...this.endpoints.values()].map((e) => e.flush(deadline)));
  }

  /** Delivers what it can within the flush timeout, then drops (and counts) the rest. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    const deadline = Date.now() + this.flushTimeoutMs;
    await Promise.all([...this.endpoints.values()].map((e) => e.shutdown(deadline)));
  }
}
