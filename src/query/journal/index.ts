/** Query API over the local journal. */
export {
  JournalQuery,
  liveJournalQuery,
  matcherOf,
  type EventScan,
  type JournalQueryOptions,
} from './journal-query.js';
export { performanceStatsOf, quantileSorted } from './percentiles.js';
