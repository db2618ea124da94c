/** Options of one webhook endpoint and their defaults. */

/** How records are delivered to one URL. Every field is optional. */
export interface WebhookOptions {
  /** Shared secret: when set, each request carries `X-Audit-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
  readonly secret?: string;
  /** Records per request (default 100). */
  readonly batchSize?: number;
  /** Longest time a record waits for its batch to fill before it is sent (default 1000 ms). */
  readonly flushIntervalMs?: number;
  /** Records queued for this URL at most; beyond it new records are dropped and counted (default 10,000). */
  readonly maxQueue?: number;
  /** Retries of a failed request (network error, timeout, 408, 429, 5xx) before its records count as failed (default 5). */
  readonly maxRetries?: number;
  /** Time limit of one request (default 5000 ms). */
  readonly timeoutMs?: number;
  /** First retry delay; doubles each retry, with full jitter (default 250 ms). */
  readonly backoffBaseMs?: number;
  /** Longest retry delay, also the cap applied to `Retry-After` (default 30,000 ms). */
  readonly backoffMaxMs?: number;
  /** Extra request headers (e.g. an `Authorization` header). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options with every default applied. */
export interface ResolvedWebhookOptions {
  readonly secret: string | undefined;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly maxQueue: number;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** Default values of {@link WebhookOptions}. */
export const WEBHOOK_DEFAULTS = {
  batchSize: 100,
  flushIntervalMs: 1000,
  maxQueue: 10_000,
  maxRetries: 5,
  timeoutMs: 5000,
  backoffBaseMs: 250,
  backoffMaxMs: 30_000,
} as const;

function positive(value: number | undefined, fallback: number, min = 1): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
}

/** Applies defaults; out-of-range numbers fall back to the default. */
export function resolveWebhookOptions(options: WebhookOptions = {}): ResolvedWebhookOptions {
  return {
    secret: options.secret !== undefined && options.secret !== '' ? options.secret : undefined,
    batchSize: positive(options.batchSize, WEBHOOK_DEFAULTS.batchSize),
    flushIntervalMs: positive(options.flushIntervalMs, WEBHOOK_DEFAULTS.flushIntervalMs, 0),
    maxQueue: positive(options.maxQueue, WEBHOOK_DEFAULTS.maxQueue),
    maxRetries: positive(options.maxRetries, WEBHOOK_DEFAULTS.maxRetries, 0),
    timeoutMs: positive(options.timeoutMs, WEBHOOK_DEFAULTS.timeoutMs),
    backoffBaseMs: positive(options.backoffBaseMs, WEBHOOK_DEFAULTS.backoffBaseMs, 0),
    backoffMaxMs: positive(options.backoffMaxMs, WEBHOOK_DEFAULTS.backoffMaxMs, 0),
    headers: { ...(options.headers ?? {}) },
  };
}
