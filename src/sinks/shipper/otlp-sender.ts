/**
 * Sends encoded OTLP log requests over HTTP and says what the answer means for the batch, after
 * the OTLP/HTTP specification: 2xx is accepted (with a possible partial success); 429, 502, 503,
 * 504, timeouts and network errors are worth retrying (with the peer's `Retry-After` when given);
 * 400 and 413 reject the data itself; other statuses (authentication, wrong URL, server errors)
 * are not retryable per the specification, but they say nothing about the records, so the shipper
 * keeps them and tries again slowly instead of declaring them lost.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { retryAfterMs } from '../webhooks/backoff.js';
import { errorCodeText } from '../../events/error-text.js';
import { clean, errorMessageOf, partialSuccessOf } from './otlp-response.js';

const gzipAsync = promisify(gzip);

/** Response bytes read at most (partial success, error messages). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What an answer means for the batch sent. */
export type SendOutcome =
  /** Accepted; `rejected` records of it were dropped by the peer (partial success), without saying which. */
  | { readonly kind: 'accepted'; readonly rejected: number; readonly message?: string }
  /** Not accepted, worth retrying (after `retryAfterMs` when the peer said so). */
  | { readonly kind: 'retry'; readonly error: string; readonly retryAfterMs?: number }
  /** The peer rejects the data itself (HTTP 400 / 413): retrying the same request cannot succeed. */
  | { readonly kind: 'rejected'; readonly status: number; readonly error: string }
  /** Not retryable per OTLP, but not about the data (401, 403, 404, 500, ...): kept, retried slowly. */
  | { readonly kind: 'refused'; readonly status: number; readonly error: string };

/** Sends one encoded request. Never throws. */
export interface LogBatchSender {
  send(body: Buffer, contentType: string): Promise<SendOutcome>;
  /** Closes idle connections. */
  close(): void;
}

/** How to reach the peer. */
export interface OtlpHttpSenderOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly compression: 'gzip' | 'none';
  /** Connections kept open (requests in flight). */
  readonly maxSockets: number;
}

/** Statuses the OTLP/HTTP specification says to retry. */
const RETRYABLE = new Set([429, 502, 503, 504]);
/** Statuses that reject the request's data. */
const DATA_REJECTED = new Set([400, 413]);

/** What `status` (not 2xx) means, before the peer's message is added. */
export function outcomeKindOf(status: number): 'retry' | 'rejected' | 'refused' {
  if (RETRYABLE.has(status)) return 'retry';
  if (DATA_REJECTED.has(status)) return 'rejected';
  return 'refused';
}

/** An OTLP/HTTP sender over node's http(s) with keep-alive connections. */
export function createOtlpHttpSender(options: OtlpHttpSenderOptions): LogBatchSender {
  const url = new URL(options.url);
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets })
    : new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
  const request = secure ? httpsRequest : httpRequest;
  return {
    async send(raw: Buffer, contentType: string): Promise<SendOutcome> {
      let body = raw;
      const headers: Record<string, string> = { ...options.headers, 'content-type': contentType };
      if (options.compression === 'gzip') {
        body = await gzipAsync(raw);
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = String(body.length);
      return new Promise<SendOutcome>((resolve) => {
        let settled = false;
        const settle = (outcome: SendOutcome): void => {
          if (settled) return;
          settled = true;
          resolve(outcome);
        };
        const req = request(url, { method: 'POST', agent, headers, timeout: options.timeoutMillis }, (res) => {
          readCapped(res).then(
            (answer) => settle(outcomeOf(res, answer)),
            (err: unknown) => settle({ kind: 'retry', error: `reading the response: ${errorCodeText(err)}` }),
          );
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMillis} ms`)));
        req.on('error', (err) => settle({ kind: 'retry', error: errorCodeText(err) }));
        req.end(body);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}

function outcomeOf(res: IncomingMessage, body: Buffer): SendOutcome {
  const status = res.statusCode ?? 0;
  const contentType = res.headers['content-type'];
  if (status >= 200 && status < 300) {
    const partial = partialSuccessOf(body, contentType);
    return {
      kind: 'accepted',
      rejected: partial?.rejected ?? 0,
      ...(partial?.message ? { message: partial.message } : {}),
    };
  }
  const message = errorMessageOf(body, contentType);
  const error = `HTTP ${status}${res.statusMessage ? ' ' + clean(res.statusMessage) : ''}${message ? ': ' + message : ''}`;
  const kind = outcomeKindOf(status);
  if (kind === 'retry') {
    const after = retryAfterMs(firstHeader(res.headers['retry-after']));
    return { kind, error, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  return { kind, status, error };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The response body, at most {@link MAX_RESPONSE_BYTES} (the rest is discarded). */
async function readCapped(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < MAX_RESPONSE_BYTES) {
      chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
      size += Math.min(chunk.length, MAX_RESPONSE_BYTES - size);
    }
  }
  return Buffer.concat(chunks);
}
