/**
 * Aggregations every event-based query source shares: seed statistics and exact performance
 * statistics over a stream of {@link AuditEvent}s, whatever store they were read from.
 */
import { ATTR } from '../events/semconv.js';
import { performanceStatsOf } from './journal/percentiles.js';
import type { AuditEvent, AuditStatistics, PerformanceReport, PerformanceStats } from './types.js';

/** Totals, distinct leads, errors and per-type / per-workflow counts of the events. */
export async function statisticsOf(events: AsyncIterable<AuditEvent>): Promise<AuditStatistics> {
  let totalEvents = 0;
  let errors = 0;
  const leads = new Set<string>();
  const byType: Record<string, number> = {};
  const byWorkflow: Record<string, number> = {};
  let first: string | undefined;
  let last: string | undefined;
  for await (const ev of events) {
    totalEvents++;
    if (ev.type === 'error') errors++;
    if (ev.leadId !== undefined) leads.add(ev.leadId);
    byType[ev.type] = (byType[ev.type] ?? 0) + 1;
    const wf = ev.workflow ?? 'unknown';
    byWorkflow[wf] = (byWorkflow[wf] ?? 0) + 1;
    if (first === undefined || ev.ts < first) first = ev.ts;
    if (last === undefined || ev.ts > last) last = ev.ts;
  }
  return {
    totalEvents,
    leadsProcessed: leads.size,
    errors,
    byType,
    byWorkflow,
    ...(first !== undefined ? { firstEventAt: first } : {}),
    ...(last !== undefined ? { lastEventAt: last } : {}),
  };
}

/**
 * Exact duration statistics per operation from `performance` events (only `operation` if named).
 * Events that are not performance records, or lack a finite duration, are ignored.
 */
export async function performanceReportOf(
  events: AsyncIterable<AuditEvent>,
  operation?: string,
): Promise<PerformanceReport> {
  const samples = new Map<string, number[]>();
  for await (const ev of events) {
    const op = ev.attrs[ATTR.operation];
    const seconds = ev.attrs[ATTR.durationSeconds];
    if (typeof op !== 'string' || typeof seconds !== 'number' || !Number.isFinite(seconds)) continue;
    if (operation !== undefined && op !== operation) continue;
    let list = samples.get(op);
    if (!list) samples.set(op, (list = []));
    list.push(seconds);
  }
  const report: Record<string, PerformanceStats> = {};
  for (const op of [...samples.keys()].sort()) report[op] = performanceStatsOf(samples.get(op) as number[]);
  return report;
}
