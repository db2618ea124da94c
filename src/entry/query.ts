/**
 * `orchestrator-audit-otel/query`: audit events read back from the local journal, Loki or
 * Prometheus, all behind one {@link AuditQuerySource} interface (see docs/journal.md, docs/stack.md).
 */
export type {
  AuditEvent,
  AuditQuerySource,
  AuditStatistics,
  EventFilter,
  PerformanceReport,
  PerformanceStats,
} from '../query/types.js';
export { JournalQuery, type JournalQueryOptions } from '../query/journal/journal-query.js';
export {
  readJournal,
  readJournalRecords,
  listJournal,
  type JournalEntry,
  type JournalRecordEntry,
  type JournalProgress,
  type ReadJournalOptions,
} from '../sinks/journal/reader.js';
export { JournalNotFoundError, JournalReadError } from '../sinks/journal/errors.js';
export {
  LokiQuerySource,
  DEFAULT_LOKI_SELECTOR,
  type LokiQuerySourceOptions,
  type LokiSignedRecord,
} from '../query/loki/loki-query-source.js';
export { LokiQueryError } from '../query/loki/loki-client.js';
export { LokiResponseError } from '../query/loki/loki-response.js';
export {
  PrometheusQuerySource,
  PrometheusUnsupportedError,
  type PrometheusQuerySourceOptions,
} from '../query/prometheus/prometheus-query-source.js';
export { PrometheusQueryError } from '../query/prometheus/prometheus-client.js';
