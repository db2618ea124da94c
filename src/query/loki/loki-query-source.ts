/**
 * {@link AuditQuerySource} over Loki: audit records exported through the collector (Loki's native
 * OTLP endpoint) are read back with LogQL. Each log line is the signed canonical record and the
 * structured metadata `audit_sig` its signature, so the same records feed queries, statistics and
 * `audit-cli integrity --source loki` ({@link LokiQuerySource.signedRecords}).
 */
import { isSignedRecord, type AuditRecordContent } from '../../record/audit-record.js';
import { auditEventFromRecord } from '../../record/audit-event.js';
import { matcherOf, type EventScan } from '../journal/journal-query.js';
import { performanceReportOf, statisticsOf } from '../aggregate.js';
import type { AuditEvent, AuditQuerySource, AuditStatistics, EventFilter, PerformanceReport } from '../types.js';
import { LokiClient, type LokiClientOptions, type NsRange } from './loki-client.js';
import type { LokiEntry } from './loki-response.js';
import { checkEventFilter, checkLeadId, checkStatisticsOptions } from '../filter-check.js';

/** Options of {@link LokiQuerySource}. */
export interface LokiQuerySourceOptions extends Partial<LokiClientOptions> {
  /** Loki base URL (`url` is also accepted, as audit-cli passes it). Env: `AUDIT_LOKI_URL`. */
  readonly lokiUrl?: string;
  /**
   * LogQL stream selector of the audit streams (default `{service_name=~".+"}`, every service;
   * env `AUDIT_LOKI_SELECTOR`). Only entries with `audit_stream` structured metadata are read.
   */
  readonly selector?: string;
  /**
   * How far back to read when no start time is given, in ms (default {@link LOKI_DEFAULT_LOOKBACK_DAYS}
   * days: the bundled Loki's retention, which also allows queries that long; a Loki with its
   * default `max_query_length` of 721h needs a start time within 30 days).
   */
  readonly lookbackMs?: number;
  /** Clock (tests). */
  readonly now?: () => Date;
  /** Environment for the defaults (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A signed record as stored in Loki, ready for the chain verifier (`ChainVerifier.push`). */
export interface LokiSignedRecord {
  /** The log line: the canonical content exactly as stored (the signed bytes). */
  readonly canonical: string;
  /** `audit_sig` structured metadata (`""` when absent: the verifier reports it as unsigned). */
  readonly sig: string;
  /** `loki:<stream>#<seq>@<ns>`, for findings. */
  readonly location: string;
}

/** Time range of a read (`start` inclusive, `end` exclusive). */
export interface LokiTimeRange {
  readonly startTime?: Date;
  readonly endTime?: Date;
}

/** Default stream selector: every stream; audit entries are picked by their `audit_stream` metadata. */
export const DEFAULT_LOKI_SELECTOR = '{service_name=~".+"}';
const DAY_MS = 86_400_000;

/** Default look-back in days: the retention of the bundled Loki (loki/loki-config.yaml). */
export const LOKI_DEFAULT_LOOKBACK_DAYS = 90;

/** Reads audit events back from Loki. */
export class LokiQuerySource implements AuditQuerySource {
  /** The client used (its base URL is the source's). */
  readonly client: LokiClient;
  private readonly selector: string;
  private readonly lookbackMs: number;
  private readonly now: () => Date;
  private duplicates = 0;

  /** @throws TypeError when no valid Loki URL is given (option or `AUDIT_LOKI_URL`). */
  constructor(options: LokiQuerySourceOptions = {}) {
    const env = options.env ?? process.env;
    const url = options.lokiUrl ?? options.url ?? env.AUDIT_LOKI_URL;
    if (!url) throw new TypeError('LokiQuerySource needs a Loki URL (lokiUrl option or AUDIT_LOKI_URL)');
    this.client = new LokiClient({ ...options, url });
    this.selector = options.selector ?? (env.AUDIT_LOKI_SELECTOR || DEFAULT_LOKI_SELECTOR);
    this.lookbackMs = options.lookbackMs ?? LOKI_DEFAULT_LOOKBACK_DAYS * DAY_MS;
    this.now = options.now ?? (() => new Date());
  }

  /** Exact duplicates (same stream, seq, signature and content) skipped by the last read. */
  get duplicatesSkipped(): number {
    return this.duplicates;
  }

  /** The LogQL log query used for a scan: selector, audit entries only, filters pushed down to Loki. */
  logQuery(scan: EventScan = {}): string {
    let q = `${this.selector} | audit_stream != ""`;
    if (scan.eventType !== undefined && !scan.eventType.includes('.'))
      q += ` | orchestrator_event_type = ${logqlString(scan.eventType)}`;
    if (scan.leadId !== undefined) q += ` | orchestrator_lead_id = ${logqlString(scan.leadId)}`;
    if (scan.workflow !== undefined) q += ` | orchestrator_workflow = ${logqlString(scan.workflow)}`;
    return q;
  }

  /**
   * Every signed audit record stored in the range, in time order, for `ChainVerifier`. Exact
   * copies delivered twice (at-least-once transport) are yielded once and counted in
   * {@link duplicatesSkipped}; any other difference reaches the verifier.
   */
  async *signedRecords(range: LokiTimeRange = {}): AsyncGenerator<LokiSignedRecord> {
    this.duplicates = 0;
    const seen = new Set<string>();
    for await (const entry of this.client.entries(this.logQuery(), this.nsRange(range))) {
      const sig = entry.metadata.audit_sig ?? '';
      const key = `${entry.metadata.audit_stream ?? ''}#${entry.metadata.audit_seq ?? ''}#${sig}#${entry.line}`;
      if (seen.has(key)) {
        this.duplicates++;
        continue;
      }
      seen.add(key);
      yield { canonical: entry.line, sig, location: locationOf(entry) };
    }
  }

  /** Streams the events matching `scan` in time order (seals only when asked for). */
  async *events(scan: EventScan = {}): AsyncGenerator<AuditEvent> {
    this.duplicates = 0;
    const matches = matcherOf(scan);
    const seen = new Set<string>();
    for await (const entry of this.client.entries(this.logQuery(scan), this.nsRange(scan))) {
      const rec = recordOf(entry.line);
      if (!rec) continue; // not an audit record (integrity reports it as malformed)
      const key = `${rec.stream}#${rec.seq}#${entry.metadata.audit_sig ?? ''}`;
      if (seen.has(key)) {
        this.duplicates++;
        continue;
      }
      seen.add(key);
      const event = auditEventFromRecord(rec, locationOf(entry));
      if (matches(event)) yield event;
    }
  }

  /** Events matching the filter; with `limit`, the most recent ones, in chronological order. */
  async queryEvents(filter: EventFilter = {}): Promise<AuditEvent[]> {
    filter = checkEventFilter(filter);
    const limit = filter.limit !== undefined ? Math.max(0, Math.floor(filter.limit)) : Infinity;
    if (limit === 0) return [];
    const all: AuditEvent[] = [];
    for await (const event of this.events(filter)) all.push(event);
    all.sort(chronological);
    return limit === Infinity ? all : all.slice(Math.max(0, all.length - limit));
  }

  /** Every event of one lead in the lookback window, chronological. */
  async getLeadHistory(leadId: string): Promise<AuditEvent[]> {
    return this.queryEvents({ leadId: checkLeadId(leadId) });
  }

  /** Totals over the lookback window (or one workflow); seal records are not counted. */
  async getStatistics(options: { readonly workflow?: string } = {}): Promise<AuditStatistics> {
    options = checkStatisticsOptions(options);
    return statisticsOf(this.events(options.workflow !== undefined ? { workflow: options.workflow } : {}));
  }

  /** Exact duration statistics from the `performance` records in Loki (one operation if named). */
  async getPerformanceStats(operation?: string): Promise<PerformanceReport> {
    return performanceReportOf(this.events({ eventType: 'performance' }), operation);
  }

  private nsRange(range: LokiTimeRange): NsRange {
    const end = range.endTime ?? new Date(this.now().getTime() + 1000);
    const start = range.startTime ?? new Date(end.getTime() - this.lookbackMs);
    return { startNs: BigInt(start.getTime()) * 1_000_000n, endNs: BigInt(end.getTime()) * 1_000_000n };
  }
}

/** The record content of a log line, or `undefined` when the line is not an audit record. */
function recordOf(line: string): AuditRecordContent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  return isSignedRecord({ rec: parsed, sig: '' }) ? (parsed as AuditRecordContent) : undefined;
}

function locationOf(entry: LokiEntry): string {
  const stream = entry.metadata.audit_stream ?? '?';
  const seq = entry.metadata.audit_seq ?? '?';
  return `loki:${stream}#${seq}@${entry.tsNs}`;
}

/** A LogQL double-quoted string literal (Go string syntax; JSON escaping is a subset). */
function logqlString(value: string): string {
  return JSON.stringify(value);
}

function chronological(a: AuditEvent, b: AuditEvent): number {
  return a.ts < b.ts
    ? -1
    : a.ts > b.ts
      ? 1
      : a.tsNanos - b.tsNanos || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.seq - b.seq);
}
