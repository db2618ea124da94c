/**
 * One webhook URL: a bounded queue of records, batched, signed, POSTed in order (one request in
 * flight), retried with exponential backoff and jitter. Nothing here throws to the caller; every
 * record ends up counted as sent, failed (gave up after retries or rejected) or dropped (queue
 * full, or still queued when the shutdown deadline passed), and the last two also in diagnostics.
 */
import { randomUUID } from 'node:crypto';
import { inspect, type InspectOptions } from 'node:util';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { backoffDelayMs, isRetryableStatus, retryAfterMs } from './backoff.js';
import type { ResolvedWebhookOptions } from './options.js';
import { BATCH_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from './signature.js';
import { streamedEventOf, type StreamedAuditEvent } from './streamed-event.js';
import { errorKind } from '../../events/error-text.js';

/** Diagnostics kinds counted by webhook endpoints. */
export const WEBHOOK_FAILURE = {
  /** A batch was given up (non-retryable status, or retries exhausted). */
  delivery: 'webhook.delivery',
  /** Records dropped: queue full, or not delivered by the shutdown deadline. */
  dropped: 'webhook.dropped',
} as const;

/** Delivery counters of one URL, in records (not requests), except `retried` (requests). */
export interface WebhookEndpointStats {
  /** Records acknowledged with a 2xx status. */
  readonly sent: number;
  /** Records given up after retries or refused with a non-retryable status. */
  readonly failed: number;
  /** Requests retried. */
  readonly retried: number;
  /** Records dropped because the queue was full or the shutdown deadline passed. */
  readonly dropped: number;
  /** Records waiting (queued or in the request in flight). */
  readonly queued: number;
  /** Last delivery error, if any (no payload content). */
  readonly lastError?: string;
  /** Time of the last successful request (ms since epoch). */
  readonly lastSuccessAt?: number;
}

/** Body of each webhook request. */
export interface WebhookPayload {
  /** Same id on every retry of one batch. */
  readonly batchId: string;
  /** Send time of this attempt (ms since epoch), covered by the body signature. */
  readonly sentAt: number;
  readonly events: readonly StreamedAuditEvent[];
}

type Outcome = { ok: true } | { ok: false; retry: boolean; error: string; waitMs?: number };

/** Delivery state of one URL. Created by `WebhookProcessor.add`. */
export class WebhookEndpoint {
  private queue: ReadableLogRecord[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private readonly abort = new AbortController();
  private counts = { sent: 0, failed: 0, retried: 0, dropped: 0 };
  private lastError: string | undefined;
  private lastSuccessAt: number | undefined;
  private readonly label: string;
  private readonly options: Omit<ResolvedWebhookOptions, 'secret' | 'headers'>;
  // Secrets live in ES private fields: util.inspect, JSON.stringify and property listing never reach them.
  readonly #secret: string | undefined;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(
    /** The URL records are POSTed to. */
    readonly url: string,
    options: ResolvedWebhookOptions,
    private readonly diagnostics: AuditDiagnostics,
  ) {
    const { secret, headers, ...rest } = options;
    this.options = rest;
    this.#secret = secret;
    this.#headers = headers;
    // Diagnostics may be printed: name the endpoint by origin only (paths often hold tokens).
    this.label = `webhook ${new URL(url).origin}`;
  }

  /** What `util.inspect` / `console.log` show: the origin (paths often hold tokens) and the counters. */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    return `WebhookEndpoint ${inspect({ origin: new URL(this.url).origin, signed: this.#secret !== undefined, ...this.stats() }, { ...options, depth: 1 })}`;
  }

  /** Queues one record; drops and counts it when the queue is full or the endpoint is closed. */
  enqueue(record: ReadableLogRecord): void {
    if (this.closed) return this.drop(1, 'endpoint shut down');
    if (this.queue.length >= this.options.maxQueue) return this.drop(1, `queue full (${this.options.maxQueue})`);
    this.queue.push(record);
    if (this.queue.length >= this.options.batchSize) this.kick();
    else this.arm();
  }

  /** Current counters. */
  stats(): WebhookEndpointStats {
    return {
      ...this.counts,
      queued: this.queue.length + this.inFlight,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastSuccessAt !== undefined ? { lastSuccessAt: this.lastSuccessAt } : {}),
    };
  }

  /** Sends everything queued; resolves when the queue is empty or at `deadline` (ms since epoch). */
  async flush(deadline: number): Promise<void> {
    while ((this.queue.length > 0 || this.draining) && Date.now() < deadline) {
      this.kick();
      const current = this.draining;
      if (!current) break;
      await raceDeadline(current, deadline);
    }
  }

  /**
   * Stops accepting records, drains until `deadline`, then aborts what is still in flight or
   * waiting and counts it as dropped.
   */
  async shutdown(deadline: number): Promise<void> {
    this.closed = true;
    await this.flush(deadline);
    this.clearTimer();
    this.abort.abort();
    await this.draining;
    if (this.queue.length > 0) {
      const left = this.queue.length;
      this.queue = [];
      this.drop(left, 'not delivered by the shutdown deadline');
    }
  }

  private drop(count: number, why: string): void {
    this.counts.dropped += count;
    this.diagnostics.count(WEBHOOK_FAILURE.dropped, `${this.label}: ${count} record(s) dropped, ${why}`);
  }

  private arm(): void {
    if (this.timer || this.draining || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private kick(): void {
    this.clearTimer();
    if (this.draining || this.queue.length === 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0 && !this.abort.signal.aborted) this.arm();
    });
  }

  private async drain(): Promise<void> {
    // Leave the emitting caller's stack first: serializing and signing a batch is not its cost.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const batch = this.queue.splice(0, this.options.batchSize);
      this.inFlight = batch.length;
      try {
        await this.deliver(batch);
      } catch (err) {
        // deliver handles its own errors; this is a last resort so no record goes uncounted
        this.giveUp(batch.length, 'internal: ' + String(err));
      } finally {
        this.inFlight = 0;
      }
    }
  }

  private async deliver(batch: readonly ReadableLogRecord[]): Promise<void> {
    const batchId = randomUUID();
    const events = batch.map(streamedEventOf);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(batchId, events);
      if (outcome.ok) {
        this.counts.sent += batch.length;
        this.lastSuccessAt = Date.now();
        return;
      }
      this.lastError = outcome.error;
      if (this.abort.signal.aborted) {
        this.drop(batch.length, 'in flight at the shutdown deadline');
        return;
      }
      if (!outcome.retry || attempt >= this.options.maxRetries) {
        this.giveUp(batch.length, `${outcome.error} after ${attempt + 1} attempt(s)`);
        return;
      }
      this.counts.retried++;
      const backoff = backoffDelayMs(attempt + 1, this.options.backoffBaseMs, this.options.backoffMaxMs);
      const wait = Math.min(this.options.backoffMaxMs, Math.max(backoff, outcome.waitMs ?? 0));
      await sleep(wait, this.abort.signal);
      if (this.abort.signal.aborted) {
        this.drop(batch.length, 'waiting for a retry at the shutdown deadline');
        return;
      }
    }
  }

  private giveUp(count: number, error: string): void {
    this.counts.failed += count;
    this.lastError = error;
    this.diagnostics.count(WEBHOOK_FAILURE.delivery, `${this.label}: ${count} record(s) failed: ${error}`);
  }

  private async attempt(batchId: string, events: readonly StreamedAuditEvent[]): Promise<Outcome> {
    const sentAt = Date.now();
    const payload: WebhookPayload = { batchId, sentAt, events };
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      ...this.#headers,
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(sentAt),
      [BATCH_ID_HEADER]: batchId,
    };
    if (this.#secret !== undefined) headers[SIGNATURE_HEADER] = signWebhookBody(this.#secret, body);
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers,
        body,
        // A followed 301/302/303 turns the POST into a bodiless GET whose 200 would count the batch
        // as sent: a redirect is a delivery failure to fix in the configured URL instead.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.abort.signal]),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { ok: true };
      const waitMs = retryAfterMs(response.headers.get('retry-after'));
      return {
        ok: false,
        retry: isRetryableStatus(response.status),
        error: `HTTP ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}`,
        ...(waitMs !== undefined ? { waitMs } : {}),
      };
    } catch (err) {
      const name = errorKind(err);
      const error = name === 'TimeoutError' ? `timeout after ${this.options.timeoutMs} ms` : describeNetworkError(err);
      return { ok: false, retry: true, error };
    }
  }
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function raceDeadline(promise: Promise<void>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
