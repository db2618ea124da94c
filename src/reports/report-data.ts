/**
 * What a daily or weekly report shows, computed from any {@link AuditQuerySource} (journal,
 * Loki) and the integrity summary of the same source.
 */
import type { IntegritySummary } from '../verify/integrity-summary.js';
import { ATTR } from '../events/semconv.js';
import { performanceStatsOf } from '../query/journal/percentiles.js';
import type { AuditEvent, AuditQuerySource, PerformanceReport } from '../query/types.js';
import { funnelOf, type FunnelStage } from './funnel.js';

/** Report period: `daily` (24 hourly buckets) or `weekly` (7 daily buckets). */
export type ReportPeriod = 'daily' | 'weekly';

/** One time bucket of the events-over-time chart. */
export interface TimeBucket {
  /** Bucket start, ISO-8601 UTC. */
  readonly start: string;
  /** Short label (`14:00`, `Mon 02-04`). */
  readonly label: string;
  readonly events: number;
  readonly errors: number;
}

/** One row of the errors table. */
export interface ReportError {
  readonly ts: string;
  readonly errorType: string;
  readonly message: string;
  readonly leadId?: string;
  readonly workflow?: string;
}

/** Everything a report renders. */
export interface ReportData {
  readonly period: ReportPeriod;
  readonly title: string;
  /** Window [from, to), ISO-8601 UTC. */
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  /** What the data was read from (`journal logs/audit.log`). */
  readonly source: string;
  readonly totals: {
    readonly events: number;
    readonly leads: number;
    readonly errors: number;
    readonly workflows: number;
    readonly operations: number;
  };
  readonly byType: { readonly [type: string]: number };
  readonly timeline: readonly TimeBucket[];
  readonly funnel: readonly FunnelStage[];
  /** Most recent errors first, at most {@link MAX_REPORT_ERRORS}. */
  readonly errors: readonly ReportError[];
  readonly errorsByType: { readonly [type: string]: number };
  readonly latency: PerformanceReport;
  /** Integrity summary, or `undefined` when verification was not run. */
  readonly integrity?: IntegritySummary;
  /** Why integrity was not verified, when it was not. */
  readonly integrityUnavailable?: string;
}

/** Rows kept in the errors table. */
export const MAX_REPORT_ERRORS = 100;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The window and buckets of a period ending at `now`: the last 24 whole hours or 7 whole days, current one included. */
export function periodWindow(
  period: ReportPeriod,
  now: Date,
): { from: Date; to: Date; bucketMs: number; buckets: number } {
  if (period === 'daily') {
    const to = Math.floor(now.getTime() / HOUR) * HOUR + HOUR;
    return { from: new Date(to - 24 * HOUR), to: new Date(to), bucketMs: HOUR, buckets: 24 };
  }
  const to = Math.floor(now.getTime() / DAY) * DAY + DAY;
  return { from: new Date(to - 7 * DAY), to: new Date(to), bucketMs: DAY, buckets: 7 };
}

/** Options of {@link buildReportData}. */
export interface BuildReportOptions {
  readonly period: ReportPeriod;
  readonly now: Date;
  readonly source: string;
  readonly integrity?: IntegritySummary;
  readonly integrityUnavailable?: string;
}

/** Reads the period's events from `query` and computes the report. */
export async function buildReportData(query: AuditQuerySource, options: BuildReportOptions): Promise<ReportData> {
  const win = periodWindow(options.period, options.now);
  const events = await query.queryEvents({ startTime: win.from, endTime: win.to });
  return reportDataOf(events, options, win);
}

/** Computes the report from the period's events (chronological). */
export function reportDataOf(
  events: readonly AuditEvent[],
  options: BuildReportOptions,
  win = periodWindow(options.period, options.now),
): ReportData {
  const timeline: { start: string; label: string; events: number; errors: number }[] = [];
  for (let i = 0; i < win.buckets; i++) {
    const start = new Date(win.from.getTime() + i * win.bucketMs);
    const iso = start.toISOString();
    const label = options.period === 'daily' ? iso.slice(11, 16) : `${WEEKDAYS[start.getUTCDay()]} ${iso.slice(5, 10)}`;
    timeline.push({ start: iso, label, events: 0, errors: 0 });
  }
  const byType: Record<string, number> = {};
  const errorsByType: Record<string, number> = {};
  const leads = new Set<string>();
  const workflows = new Set<string>();
  const durations = new Map<string, number[]>();
  const errors: ReportError[] = [];
  const inWindow: AuditEvent[] = [];
  let errorCount = 0;
  for (const ev of events) {
    const t = Date.parse(ev.ts);
    const bucket = timeline[Math.floor((t - win.from.getTime()) / win.bucketMs)];
    if (!bucket) continue; // outside the window
    inWindow.push(ev);
    bucket.events++;
    byType[ev.type] = (byType[ev.type] ?? 0) + 1;
    if (ev.leadId !== undefined) leads.add(ev.leadId);
    if (ev.workflow !== undefined) workflows.add(ev.workflow);
    if (ev.type === 'error') {
      bucket.errors++;
      errorCount++;
      const row = errorOf(ev);
      errorsByType[row.errorType] = (errorsByType[row.errorType] ?? 0) + 1;
      errors.push(row);
    }
    if (ev.type === 'performance') {
      const op = ev.attrs[ATTR.operation];
      const s = ev.attrs[ATTR.durationSeconds];
      if (typeof op === 'string' && typeof s === 'number' && Number.isFinite(s)) {
        let list = durations.get(op);
        if (!list) durations.set(op, (list = []));
        list.push(s);
      }
    }
  }
  const latency: Record<string, ReturnType<typeof performanceStatsOf>> = {};
  for (const op of [...durations.keys()].sort()) latency[op] = performanceStatsOf(durations.get(op) as number[]);
  errors.reverse();
  return {
    period: options.period,
    title: options.period === 'daily' ? 'Daily audit report' : 'Weekly audit report',
    from: win.from.toISOString(),
    to: win.to.toISOString(),
    generatedAt: options.now.toISOString(),
    source: options.source,
    totals: {
      events: timeline.reduce((n, b) => n + b.events, 0),
      leads: leads.size,
      errors: errorCount,
      workflows: workflows.size,
      operations: Object.keys(latency).length,
    },
    byType,
    timeline,
    funnel: funnelOf(inWindow),
    errors: errors.slice(0, MAX_REPORT_ERRORS),
    errorsByType,
    latency,
    ...(options.integrity ? { integrity: options.integrity } : {}),
    ...(options.integrityUnavailable !== undefined ? { integrityUnavailable: options.integrityUnavailable } : {}),
  };
}

function errorOf(ev: AuditEvent): ReportError {
  const type = ev.attrs[ATTR.errorType];
  const message = ev.attrs[ATTR.errorMessage];
  return {
    ts: ev.ts,
    errorType: typeof type === 'string' ? type : 'unknown',
    message: typeof message === 'string' ? message : ev.message,
    ...(ev.leadId !== undefined ? { leadId: ev.leadId } : {}),
    ...(ev.workflow !== undefined ? { workflow: ev.workflow } : {}),
  };
}
