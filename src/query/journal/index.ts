/** Query API over the local journal, and the record → AuditEvent conversion shared with other sources. */
export { JournalQuery, matcherOf, type EventScan, type JournalQueryOptions } from './journal-query.js';
export { auditEventFromRecord, eventTypeOf, isSealEvent, SEAL_EVENT_TYPE } from './audit-event.js';
export { performanceStatsOf, quantileSorted } from './percentiles.js';
