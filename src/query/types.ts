/**
 * Types shared by every query source (local journal, Loki, Prometheus) and their consumers
 * (AuditLogger, audit-cli, reports). A source returns the same shapes whatever it reads.
 */
import type { AuditEvent } from '../record/audit-event.js';

export type { AuditEvent };

/** Filters of `queryEvents` (seed parity). All given filters must match. */
export interface EventFilter {
  /** Seed event type (`lead_ingested`) or OTel event name (`orchestrator.lead.ingested`). */
  readonly eventType?: string;
  readonly leadId?: string;
  readonly workflow?: string;
  /** Inclusive lower bound of the event time. */
  readonly startTime?: Date;
  /** Exclusive upper bound of the event time. */
  readonly endTime?: Date;
  /** At most this many events, the most recent ones, returned in chronological order. */
  readonly limit?: number;
}

/** Result of `getStatistics` (seed parity, camelCased). */
export interface AuditStatistics {
  readonly totalEvents: number;
  /** Distinct lead ids seen. */
  readonly leadsProcessed: number;
  /** Events of type `error`. */
  readonly errors: number;
  /** Event count per seed event type. */
  readonly byType: { readonly [type: string]: number };
  /** Event count per workflow. */
  readonly byWorkflow: { readonly [workflow: string]: number };
  /** Time of the first and last event considered (ISO-8601), absent when there were none. */
  readonly firstEventAt?: string;
  readonly lastEventAt?: string;
}

/** Duration statistics of one operation, in seconds. */
export interface PerformanceStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Duration statistics by operation name. */
export type PerformanceReport = { readonly [operation: string]: PerformanceStats };

/** What every query source offers (seed parity: query_events, get_lead_history, get_statistics, …). */
export interface AuditQuerySource {
  queryEvents(filter?: EventFilter): Promise<AuditEvent[]>;
  /** Every event of a lead, in chronological order. */
  getLeadHistory(leadId: string): Promise<AuditEvent[]>;
  getStatistics(options?: { readonly workflow?: string }): Promise<AuditStatistics>;
  getPerformanceStats(operation?: string): Promise<PerformanceReport>;
}
