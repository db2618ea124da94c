/** Webhooks: real-time streaming of signed audit records to HTTP endpoints. */
export { WebhookProcessor, WEBHOOK_ENQUEUE_FAILURE, type WebhookProcessorOptions } from './webhook-processor.js';
export { WEBHOOK_FAILURE, type WebhookEndpointStats, type WebhookPayload } from './endpoint.js';
export { WEBHOOK_DEFAULTS, type WebhookOptions } from './options.js';
export {
  BATCH_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhookBody,
  verifyWebhookSignature,
} from './signature.js';
export { streamedEventOf, type StreamedAuditEvent } from './streamed-event.js';
