/**
 * Every PromQL and LogQL expression used by the dashboards and the alert rules, defined once.
 * Dashboards and alert rules import these; `allQueries()` lists them for the grammar tests and for
 * the end-to-end tests that execute them against a real Prometheus/Loki.
 *
 * Dashboard queries use Grafana template variables (`$workflow`, `$service`, `$lead`,
 * `$__rate_interval`, `$__range`); see template-variables.ts for the values substituted before
 * parsing or executing them outside Grafana. Alert queries use no template variables.
 */
import { PROM_LABELS, PROM_METRICS } from '../../src/query/prometheus/prometheus-query-source.js';

/** Query language of an expression. */
export type QueryKind = 'promql' | 'logql';

/** One exported query. */
export interface AuditQuery {
  /** Stable id, `<dashboard or alert>.<name>`. */
  readonly id: string;
  /** Query language. */
  readonly kind: QueryKind;
  /** The expression, as it appears in the dashboard JSON or alert rule. */
  readonly expr: string;
  /** Where it is used. */
  readonly source: 'dashboard' | 'alert';
  /** What it computes. */
  readonly description: string;
}

const EV = PROM_METRICS.events;
const ERR = PROM_METRICS.errors;
const DUR = PROM_METRICS.duration;
const FAIL = PROM_METRICS.failures;
const SEALS = PROM_METRICS.seals;
const TYPE = PROM_LABELS.eventType;
const WF = PROM_LABELS.workflow;
const OP = PROM_LABELS.operation;

/**
 * Prometheus matchers of the dashboard variables. `service.name` reaches Prometheus as `job`
 * (`<service.namespace>/<service.name>` when a namespace is set), hence the optional prefix.
 */
const PROM_VARS = `${WF}=~"$workflow", job=~"(.+/)?$service"`;
/** Loki stream selector of the dashboard variables (`service_name` is an index label). */
const LOKI_SEL = '{service_name=~"$service"}';
/** Loki structured-metadata filter of the workflow variable. */
const LOKI_WF = `| ${WF}=~"$workflow"`;

/** Funnel stages in order: event type and display name. */
export const FUNNEL_STAGES = [
  { type: 'lead_ingested', label: 'Ingested' },
  { type: 'lead_qualified', label: 'Qualified' },
  { type: 'lead_routed', label: 'Routed' },
  { type: 'crm_create', label: 'CRM record created' },
  { type: 'email_sent', label: 'Email sent' },
] as const;

/** Percentiles shown per operation on the performance dashboard. */
export const PERCENTILES = [
  { name: 'p50', q: '0.5' },
  { name: 'p95', q: '0.95' },
  { name: 'p99', q: '0.99' },
  { name: 'max', q: '1' },
] as const;

/**
 * Failure kinds (`audit.failure.kind`) that put the audit trail's integrity at risk: unsigned or
 * converted records, missing seals, journal write failures, and `verify.*` (reserved for verifier
 * findings pushed as failures, see docs/grafana.md).
 */
export const INTEGRITY_FAILURE_KINDS = 'signing\\\\..*|journal\\\\..*|verify\\\\..*';

/** Quantile of the operation duration per operation, over the dashboard's rate interval. */
function durationQuantile(q: string, range: string, matchers: string): string {
  const sel = matchers === '' ? '' : `{${matchers}}`;
  return `histogram_quantile(${q}, sum by (${OP}) (rate(${DUR}${sel}[${range}])))`;
}

/** Lead history of one lead id in Loki (used by the lead-history dashboard and by data links). */
export function leadHistoryLogQL(leadExpr: string): string {
  return `{service_name=~".+"} | orchestrator_lead_id = "${leadExpr}"`;
}

/** Every record of one trace id in Loki (derived field of the Loki datasource). */
export function traceLogQL(traceExpr: string): string {
  return `{service_name=~".+"} | trace_id = "${traceExpr}"`;
}

/** Dashboard queries, by id. */
export const DASHBOARD_QUERIES = {
  'overview.events_by_type': q(
    'promql',
    `sum by (${TYPE}) (rate(${EV}{${PROM_VARS}}[$__rate_interval]))`,
    'Audit events per second by event type',
  ),
  'overview.events_by_workflow': q(
    'promql',
    `sum by (${WF}) (rate(${EV}{${PROM_VARS}}[$__rate_interval]))`,
    'Audit events per second by workflow',
  ),
  'overview.leads_processed': q(
    'promql',
    `sum(increase(${EV}{${TYPE}="lead_ingested", ${PROM_VARS}}[$__range]))`,
    'Leads ingested in the time range',
  ),
  'overview.errors_total': q('promql', `sum(increase(${ERR}{${PROM_VARS}}[$__range]))`, 'Errors in the time range'),
  'overview.events_total': q(
    'promql',
    `sum(increase(${EV}{${PROM_VARS}}[$__range]))`,
    'Audit events in the time range',
  ),
  'overview.workflows_active': q(
    'promql',
    `count(sum by (${WF}) (increase(${EV}{${PROM_VARS}}[$__range])) > 0)`,
    'Workflows with audit events in the time range',
  ),
  'overview.error_rate': q(
    'promql',
    `sum by (${PROM_LABELS.errorType}) (rate(${ERR}{${PROM_VARS}}[$__rate_interval]))`,
    'Errors per second by error type',
  ),
  ...Object.fromEntries(
    FUNNEL_STAGES.map((s) => [
      `funnel.${s.type}`,
      q(
        'promql',
        `sum(increase(${EV}{${TYPE}="${s.type}", ${PROM_VARS}}[$__range]))`,
        `Funnel stage "${s.label}": ${s.type} events in the time range`,
      ),
    ]),
  ),
  'funnel.qualified_outcome': q(
    'logql',
    `sum by (orchestrator_lead_qualified) (count_over_time(${LOKI_SEL} | orchestrator_event_type = "lead_qualified" ${LOKI_WF} [$__range]))`,
    'Qualification outcomes (true/false) in the time range, from the records in Loki',
  ),
  'funnel.routes': q(
    'logql',
    `sum by (orchestrator_route_destination) (count_over_time(${LOKI_SEL} | orchestrator_event_type = "lead_routed" ${LOKI_WF} [$__range]))`,
    'Routing destinations in the time range, from the records in Loki',
  ),
  'funnel.leads_table': q(
    'logql',
    // approx_topk, not topk: Loki's max_query_series (500) caps the inner `sum by` of a sharded topk,
    // one series per lead id; approx_topk keeps a count-min sketch per shard instead (instant only,
    // enabled by limits_config.shard_aggregations in loki/loki-config.yaml)
    `approx_topk(50, sum by (orchestrator_lead_id) (count_over_time(${LOKI_SEL} | orchestrator_lead_id != "" ${LOKI_WF} [$__range])))`,
    'The 50 most active leads in the time range (records per lead id, approximate counts), linked to their history',
  ),
  'funnel.recent_leads': q(
    'logql',
    `${LOKI_SEL} | orchestrator_event_type = "lead_ingested" ${LOKI_WF}`,
    'Recently ingested leads (lead ids link to the lead history)',
  ),
  ...Object.fromEntries(
    PERCENTILES.map((p) => [
      `performance.${p.name}`,
      q(
        'promql',
        durationQuantile(p.q, '$__rate_interval', PROM_VARS),
        `${p.name} operation duration per operation (native histogram${p.name === 'max' ? ', upper bound of the highest populated bucket' : ''})`,
      ),
    ]),
  ),
  'performance.avg': q(
    'promql',
    `histogram_sum(sum by (${OP}) (rate(${DUR}{${PROM_VARS}}[$__rate_interval]))) / histogram_count(sum by (${OP}) (rate(${DUR}{${PROM_VARS}}[$__rate_interval])))`,
    'Mean operation duration per operation',
  ),
  'performance.count': q(
    'promql',
    `histogram_count(sum by (${OP}) (increase(${DUR}{${PROM_VARS}}[$__range])))`,
    'Operations measured in the time range',
  ),
  ...Object.fromEntries(
    PERCENTILES.map((p) => [
      `performance.range_${p.name}`,
      q(
        'promql',
        durationQuantile(p.q, '$__range', PROM_VARS),
        `${p.name} operation duration per operation over the whole time range (table)`,
      ),
    ]),
  ),
  'errors.rate_by_type': q(
    'promql',
    `sum by (${PROM_LABELS.errorType}, ${WF}) (rate(${ERR}{${PROM_VARS}}[$__rate_interval]))`,
    'Errors per second by error type and workflow',
  ),
  'errors.total': q('promql', `sum(increase(${ERR}{${PROM_VARS}}[$__range]))`, 'Errors in the time range'),
  'errors.logs': q(
    'logql',
    `${LOKI_SEL} | orchestrator_event_type = "error" ${LOKI_WF} | line_format "{{.orchestrator_error_type}}: {{.orchestrator_error_message}} (lead {{.orchestrator_lead_id}}, workflow {{.orchestrator_workflow}})"`,
    'Error records with type, message, lead and workflow (log details keep every field, incl. the traceback)',
  ),
  'errors.by_type_loki': q(
    'logql',
    `sum by (orchestrator_error_type) (count_over_time(${LOKI_SEL} | orchestrator_event_type = "error" ${LOKI_WF} [$__auto]))`,
    'Error records per error type, from Loki',
  ),
  'integrity.seals_by_reason': q(
    'promql',
    `sum by (audit_seal_reason) (increase(${SEALS}{job=~"(.+/)?$service"}[$__rate_interval]))`,
    'Seal records written, by reason',
  ),
  'integrity.failures_by_kind': q(
    'promql',
    `sum by (audit_failure_kind) (increase(${FAIL}{job=~"(.+/)?$service"}[$__rate_interval]))`,
    'Audit failures by kind',
  ),
  'integrity.integrity_failures': q(
    'promql',
    `sum(increase(${FAIL}{audit_failure_kind=~"${INTEGRITY_FAILURE_KINDS}", job=~"(.+/)?$service"}[$__range]))`,
    'Integrity-relevant failures in the time range',
  ),
  'integrity.seal_records': q(
    'logql',
    `${LOKI_SEL} | audit_seal_reason != ""`,
    'Seal records in Loki (count, head signature and reason are in the log details)',
  ),
  'integrity.unsigned_records': q(
    'logql',
    `sum(count_over_time(${LOKI_SEL} | audit_sig = "" [$__range]))`,
    'Records in Loki without a signature in the time range',
  ),
  'integrity.records_by_stream': q(
    'logql',
    `sum by (audit_stream) (count_over_time(${LOKI_SEL} | audit_stream != "" [$__range]))`,
    'Records per signing stream in the time range',
  ),
  'integrity.sequence_gap': q(
    'logql',
    sequenceGap(LOKI_SEL, '$__range'),
    'Missing sequence numbers per stream (max − min + 1 − count); negative = duplicates',
  ),
  'lead.history': q('logql', leadHistoryLogQL('$lead'), 'Every record of one lead'),
} as const satisfies Record<string, Omit<AuditQuery, 'id' | 'source'>>;

/** Sequence-gap expression per stream over a window: positive = records missing in Loki. */
function sequenceGap(selector: string, range: string): string {
  const base = `${selector} | audit_stream != ""`;
  return (
    `(max_over_time(${base} | unwrap audit_seq [${range}]) by (audit_stream)` +
    ` - min_over_time(${base} | unwrap audit_seq [${range}]) by (audit_stream) + 1)` +
    ` - sum by (audit_stream) (count_over_time(${base} [${range}]))`
  );
}

const STARTED = `sum by (job, instance, ${WF}) (last_over_time(${EV}{${TYPE}="workflow_started"}[1d]))`;
const STOPPED = `sum by (job, instance, ${WF}) (last_over_time(${EV}{${TYPE}="workflow_stopped"}[1d]))`;

/** Alert-rule parameters (fixed at generation time; see docs/grafana.md). */
export interface AlertParams {
  /** Errors in 5 minutes that make a burst (seed: 10). */
  readonly errorBurstThreshold: number;
  /** p95 latency SLO in seconds. */
  readonly p95SloSeconds: number;
  /** Minutes without audit events from a running workflow. */
  readonly silenceMinutes: number;
}

/** Defaults of {@link AlertParams}. */
export const DEFAULT_ALERT_PARAMS: AlertParams = { errorBurstThreshold: 10, p95SloSeconds: 2, silenceMinutes: 15 };

/** Alert queries, by id. Each returns the value the rule's threshold is applied to. */
export function alertQueries(params: AlertParams = DEFAULT_ALERT_PARAMS) {
  return {
    'alert.error_burst': q(
      'promql',
      `sum(increase(${ERR}[5m] anchored))`,
      `Errors in the last 5 minutes; anchored increase() counts exactly, without extrapolating past the samples (alert at >= ${params.errorBurstThreshold})`,
    ),
    'alert.p95_latency': q(
      'promql',
      durationQuantile('0.95', '5m', ''),
      `p95 operation duration per operation over 5 minutes (alert above ${params.p95SloSeconds} s)`,
    ),
    'alert.workflow_silent': q(
      'promql',
      `(${STARTED} > (${STOPPED} or 0 * ${STARTED}))` +
        ` and on (job, instance, ${WF})` +
        ` (sum by (job, instance, ${WF}) (last_over_time(${EV}[1d])) <= sum by (job, instance, ${WF}) (last_over_time(${EV}[1d] offset ${params.silenceMinutes}m)))`,
      `Running workflows (more workflow_started than workflow_stopped in their process) without any audit event for ${params.silenceMinutes} minutes`,
    ),
    'alert.integrity_failures': q(
      'promql',
      `sum(increase(${FAIL}{audit_failure_kind=~"${INTEGRITY_FAILURE_KINDS}"}[5m]))`,
      'Integrity-relevant audit failures in the last 5 minutes (alert at > 0)',
    ),
    'alert.sequence_gap': q(
      'logql',
      `sum(${sequenceGap('{service_name=~".+"}', '15m')})`,
      'Missing sequence numbers in Loki over 15 minutes, all streams (alert at > 0)',
    ),
  } as const satisfies Record<string, Omit<AuditQuery, 'id' | 'source'>>;
}

/** The expression of a dashboard query; throws on an unknown id (a typo fails generation). */
export function dashboardQuery(id: string): string {
  const found = (DASHBOARD_QUERIES as Record<string, { expr: string } | undefined>)[id];
  if (!found) throw new Error(`unknown dashboard query id: ${id}`);
  return found.expr;
}

/** Every dashboard and alert query with its id (alert queries with the given parameters). */
export function allQueries(params: AlertParams = DEFAULT_ALERT_PARAMS): AuditQuery[] {
  const list: AuditQuery[] = [];
  for (const [id, x] of Object.entries(DASHBOARD_QUERIES)) list.push({ id, source: 'dashboard', ...x });
  for (const [id, x] of Object.entries(alertQueries(params))) list.push({ id, source: 'alert', ...x });
  return list;
}

function q(kind: QueryKind, expr: string, description: string): { kind: QueryKind; expr: string; description: string } {
  return { kind, expr, description };
}
