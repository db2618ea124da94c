/** Loki query source: audit events and signed records read back from Loki. See docs/stack.md. */
export {
  LokiQuerySource,
  DEFAULT_LOKI_SELECTOR,
  LOKI_DEFAULT_LOOKBACK_DAYS,
  type LokiQuerySourceOptions,
  type LokiSignedRecord,
  type LokiTimeRange,
} from './loki-query-source.js';
export { LokiClient, LokiQueryError, type LokiClientOptions, type NsRange } from './loki-client.js';
export { parseStreamsResponse, LokiResponseError, CATEGORIZE_LABELS_HEADER, type LokiEntry } from './loki-response.js';
