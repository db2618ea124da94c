/**
 * The query API over a local journal (seed parity: query_events, get_lead_history,
 * get_statistics, get_performance_stats). Every query streams the journal line by line, so
 * memory stays flat whatever its size, and skips segments rotated before `startTime`. Lines are
 * only parsed, not verified: lines that are not records (torn, garbage) are skipped, and whether
 * the records are authentic is for `audit-cli integrity` to say. Seal records are left out unless
 * asked for (`eventType: 'seal'`).
 */
import { SEAL_EVENT_NAME } from '../../record/record-kinds.js';
import { JournalNotFoundError } from '../../sinks/journal/errors.js';
import type { OpenedJournal } from '../../sinks/journal/open-journal.js';
import { readJournalRecords, type ReadJournalOptions } from '../../sinks/journal/reader.js';
import type { AuditEvent, AuditQuerySource, AuditStatistics, EventFilter, PerformanceReport } from '../types.js';
import { auditEventFromRecord, isSealEvent, SEAL_EVENT_TYPE } from '../../record/audit-event.js';
import { performanceReportOf, statisticsOf } from '../aggregate.js';
import { checkEventFilter, checkLeadId, checkStatisticsOptions } from '../filter-check.js';

/** Options of {@link JournalQuery}. */
export interface JournalQueryOptions {
  /** Run before each query (the live journal flushes its buffer so queries see every record). */
  readonly beforeRead?: () => Promise<void>;
  /** A missing journal reads as empty instead of throwing `JournalNotFoundError`. */
  readonly missingAsEmpty?: boolean;
  /** Progress of each scan (the CLI draws a progress bar with it). */
  readonly onProgress?: ReadJournalOptions['onProgress'];
}

/** An {@link EventFilter} without `limit`, plus whether to include seal records. */
export interface EventScan extends Omit<EventFilter, 'limit'> {
  /** Include seal records (default: only when `eventType` asks for `seal`). */
  readonly includeSeals?: boolean;
}

/** {@link AuditQuerySource} over the journal whose active file is `auditFile`. */
export class JournalQuery implements AuditQuerySource {
  constructor(
    private readonly auditFile: string,
    private readonly options: JournalQueryOptions = {},
  ) {}

  /** Streams the events matching `scan`, in journal order. */
  async *events(scan: EventScan = {}): AsyncGenerator<AuditEvent> {
    await this.options.beforeRead?.();
    const matches = matcherOf(scan);
    const read: ReadJournalOptions = {
      ...(scan.startTime ? { from: scan.startTime } : {}),
      ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
    };
    try {
      for await (const entry of readJournalRecords(this.auditFile, read)) {
        const event = auditEventFromRecord(entry.record.rec, entry.location);
        if (matches(event)) yield event;
      }
    } catch (err) {
      if (err instanceof JournalNotFoundError && this.options.missingAsEmpty) return;
      throw err;
    }
  }

  /** Events matching the filter; with `limit`, the most recent ones, in chronological order. */
  async queryEvents(filter: EventFilter = {}): Promise<AuditEvent[]> {
    filter = checkEventFilter(filter);
    const limit = filter.limit !== undefined ? Math.max(0, Math.floor(filter.limit)) : Infinity;
    if (limit === 0) return [];
    const kept: AuditEvent[] = [];
    for await (const event of this.events(filter)) {
      kept.push(event);
      if (kept.length > limit * 2 && limit !== Infinity) kept.splice(0, kept.length - limit);
    }
    const sorted = chronological(kept);
    return limit === Infinity ? sorted : sorted.slice(Math.max(0, sorted.length - limit));
  }

  /** Every event of one lead, chronological, across all segments. */
  async getLeadHistory(leadId: string): Promise<AuditEvent[]> {
    return this.queryEvents({ leadId: checkLeadId(leadId) });
  }

  /** Totals over the journal (or one workflow); seal records are not counted. */
  async getStatistics(options: { readonly workflow?: string } = {}): Promise<AuditStatistics> {
    options = checkStatisticsOptions(options);
    return statisticsOf(this.events(options.workflow !== undefined ? { workflow: options.workflow } : {}));
  }

  /** Duration statistics per operation from the journal's `performance` records (one operation if named). */
  async getPerformanceStats(operation?: string): Promise<PerformanceReport> {
    return performanceReportOf(this.events({ eventType: 'performance' }), operation);
  }
}

/**
 * The query source over a journal this process writes: it flushes the journal's buffer before each
 * query (so every record emitted so far is seen) and reads a journal not yet written as empty.
 */
export function liveJournalQuery(journal: Pick<OpenedJournal, 'options' | 'flush'>): JournalQuery {
  return new JournalQuery(journal.options.auditFile, { beforeRead: () => journal.flush(), missingAsEmpty: true });
}

/** Predicate of an {@link EventScan}. */
export function matcherOf(scan: EventScan): (ev: AuditEvent) => boolean {
  const wantsSeals = scan.includeSeals ?? (scan.eventType === SEAL_EVENT_TYPE || scan.eventType === SEAL_EVENT_NAME);
  const start = scan.startTime?.getTime();
  const end = scan.endTime?.getTime();
  return (ev) => {
    if (!wantsSeals && isSealEvent(ev)) return false;
    if (scan.eventType !== undefined && ev.type !== scan.eventType && ev.event !== scan.eventType) return false;
    if (scan.leadId !== undefined && ev.leadId !== scan.leadId) return false;
    if (scan.workflow !== undefined && ev.workflow !== scan.workflow) return false;
    if (start !== undefined || end !== undefined) {
      const t = Date.parse(ev.ts);
      if (start !== undefined && !(t >= start)) return false;
      if (end !== undefined && !(t < end)) return false;
    }
    return true;
  };
}

/** Stable sort by record time (ts, then tsNanos); journal order breaks ties. */
function chronological(events: AuditEvent[]): AuditEvent[] {
  return events
    .map((ev, i) => ({ ev, i }))
    .sort((a, b) => (a.ev.ts < b.ev.ts ? -1 : a.ev.ts > b.ev.ts ? 1 : a.ev.tsNanos - b.ev.tsNanos || a.i - b.i))
    .map((x) => x.ev);
}
