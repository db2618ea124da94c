/**
 * Request signing of webhook deliveries, and the matching check for receivers:
 * `X-Audit-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. The body carries its own
 * `sentAt`, so the signature also covers the send time (replay windows can be enforced on it).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the body signature. */
export const SIGNATURE_HEADER = 'X-Audit-Signature';
/** Header carrying the send time (ms since epoch), equal to the body's `sentAt`. */
export const TIMESTAMP_HEADER = 'X-Audit-Timestamp';
/** Header carrying the batch id, stable across retries of one batch (for idempotent receivers). */
export const BATCH_ID_HEADER = 'X-Audit-Batch-Id';

/** `sha256=<hex>` signature of a raw body. */
export function signWebhookBody(secret: string, rawBody: string | Uint8Array): string {
  return 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Receiver-side check of `X-Audit-Signature` against the raw request body, in constant time.
 * Returns false for a missing or malformed header.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  header: string | undefined,
): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
