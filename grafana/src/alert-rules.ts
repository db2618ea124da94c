/**
 * Grafana-managed alert rules (provisioning file `grafana/provisioning/alerting/rules.yaml`): error
 * burst, p95 latency above the SLO, a running workflow gone silent, integrity findings. Queries come
 * from queries.ts; each rule is query A → reduce B (last) → threshold C (the condition).
 */
import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { DASHBOARD_UIDS } from './dashboard-base.js';
import { AUDIT_FOLDER_TITLE, EXPRESSION_UID, LOKI, LOKI_UID, PROMETHEUS, PROMETHEUS_UID } from './datasources.js';
import { alertQueries, DEFAULT_ALERT_PARAMS, type AlertParams, type QueryKind } from './queries.js';

/**
 * Folder of the provisioned rules. Grafana's rule file provisioning names a folder by title only
 * (creating it with a random uid when missing), so the dashboards provider names the same folder by
 * the same title and no uid: both sides then find one folder.
 */
export const ALERT_FOLDER = { title: AUDIT_FOLDER_TITLE } as const;
/** Rule group name and evaluation interval. */
export const ALERT_GROUP = { name: 'orchestrator-audit', interval: '1m' } as const;

interface RuleSpec {
  readonly uid: string;
  readonly title: string;
  readonly query: string;
  readonly kind: QueryKind;
  /** Seconds of history the query needs (relative time range `from`). */
  readonly lookbackSeconds: number;
  /** Alert when the reduced value is above this. */
  readonly above: number;
  readonly forDuration: string;
  readonly severity: 'critical' | 'warning';
  readonly summary: string;
  readonly description: string;
  readonly dashboardUid: string;
  /** Id of the panel of that dashboard that shows what the rule watches (`__panelId__`). */
  readonly panelId: number;
}

function ruleSpecs(p: AlertParams): RuleSpec[] {
  return [
    {
      uid: 'audit-error-burst',
      title: 'Audit: error burst',
      query: 'alert.error_burst',
      kind: 'promql',
      lookbackSeconds: 600,
      // the query is rounded to an integer, so "> threshold − 0.5" is "≥ threshold"
      above: p.errorBurstThreshold - 0.5,
      forDuration: '0s',
      severity: 'critical',
      summary: `${p.errorBurstThreshold} or more errors in 5 minutes`,
      description:
        'The orchestrators logged an error burst (orchestrator_audit_errors_total). See the errors dashboard for types, messages and leads.',
      dashboardUid: DASHBOARD_UIDS.errors,
      panelId: 2, // Errors/s by type and workflow
    },
    {
      uid: 'audit-p95-latency',
      title: 'Audit: p95 latency above SLO',
      query: 'alert.p95_latency',
      kind: 'promql',
      lookbackSeconds: 600,
      above: p.p95SloSeconds,
      forDuration: '5m',
      severity: 'warning',
      summary: `p95 duration of an operation above ${p.p95SloSeconds} s for 5 minutes`,
      description:
        'p95 of orchestrator.operation.duration per operation over 5 minutes is above the SLO. See the performance dashboard.',
      dashboardUid: DASHBOARD_UIDS.performance,
      panelId: 2, // p95 duration per operation
    },
    {
      uid: 'audit-workflow-silent',
      title: 'Audit: running workflow silent',
      query: 'alert.workflow_silent',
      kind: 'promql',
      lookbackSeconds: 86_400 + p.silenceMinutes * 60,
      above: 0,
      forDuration: '0s',
      severity: 'warning',
      summary: `A started workflow has logged no audit event for ${p.silenceMinutes} minutes`,
      description:
        'The process logged workflow_started (more often than workflow_stopped) and no audit event since. It may be hung or dead. See the overview dashboard.',
      dashboardUid: DASHBOARD_UIDS.overview,
      panelId: 6, // Events/s by workflow
    },
    {
      uid: 'audit-integrity-failure',
      title: 'Audit: integrity failure',
      query: 'alert.integrity_failures',
      kind: 'promql',
      lookbackSeconds: 600,
      above: 0,
      forDuration: '0s',
      severity: 'critical',
      summary: 'Audit records went unsigned, a seal or journal write failed, or a verifier finding was reported',
      description:
        'orchestrator_audit_failures_total increased for signing.*, journal.* or verify.* kinds. Run audit-cli integrity --source loki. See the integrity dashboard.',
      dashboardUid: DASHBOARD_UIDS.integrity,
      panelId: 6, // Audit failures by kind
    },
    {
      uid: 'audit-sequence-gap',
      title: 'Audit: sequence numbers missing in Loki',
      query: 'alert.sequence_gap',
      kind: 'logql',
      lookbackSeconds: 900,
      above: 0,
      forDuration: '10m',
      severity: 'critical',
      summary: 'Signed records are missing in Loki (gap in a stream sequence)',
      description:
        'Within 15 minutes a signing stream has fewer records in Loki than its sequence numbers span, for 10 minutes (longer than collector retries). Run audit-cli integrity --source loki.',
      dashboardUid: DASHBOARD_UIDS.integrity,
      panelId: 4, // Streams: records and sequence gaps
    },
  ];
}

function modelOf(spec: RuleSpec, exprText: string): cog.Builder<cog.Dataquery> {
  if (spec.kind === 'logql')
    return new loki.DataqueryBuilder().refId('A').datasource(LOKI).expr(exprText).queryType('instant').instant(true);
  return new prometheus.DataqueryBuilder().refId('A').datasource(PROMETHEUS).expr(exprText).instant();
}

/** The alert rules built with the foundation SDK (API shape). */
export function alertRules(params: AlertParams = DEFAULT_ALERT_PARAMS): alerting.Rule[] {
  const queries = alertQueries(params) as Record<string, { expr: string }>;
  const exprRef = { type: EXPRESSION_UID, uid: EXPRESSION_UID };
  return ruleSpecs(params).map((spec) => {
    const found = queries[spec.query];
    if (!found) throw new Error(`unknown alert query id: ${spec.query}`);
    return new alerting.RuleBuilder(spec.title)
      .uid(spec.uid)
      .ruleGroup(ALERT_GROUP.name)
      .orgID(1)
      .condition('C')
      .withQuery(
        new alerting.QueryBuilder('A')
          .datasourceUid(spec.kind === 'logql' ? LOKI_UID : PROMETHEUS_UID)
          .relativeTimeRange({ from: spec.lookbackSeconds, to: 0 })
          .model(modelOf(spec, found.expr)),
      )
      .withQuery(
        new alerting.QueryBuilder('B')
          .datasourceUid(EXPRESSION_UID)
          .relativeTimeRange({ from: 0, to: 0 })
          .model(
            new expr.TypeReduceBuilder()
              .refId('B')
              .datasource(exprRef)
              .expression('A')
              .reducer('last')
              .settings({ mode: 'dropNN' }),
          ),
      )
      .withQuery(
        new alerting.QueryBuilder('C')
          .datasourceUid(EXPRESSION_UID)
          .relativeTimeRange({ from: 0, to: 0 })
          .model(
            new expr.TypeThresholdBuilder()
              .refId('C')
              .datasource(exprRef)
              .expression('B')
              .conditions([{ evaluator: { type: 'gt', params: [spec.above] } }]),
          ),
      )
      .noDataState('OK')
      .execErrState('Error')
      .forDuration(spec.forDuration)
      .labels({ severity: spec.severity, team: 'orchestrator-audit' })
      .annotations({
        summary: spec.summary,
        description: spec.description,
        __dashboardUid__: spec.dashboardUid,
        __panelId__: String(spec.panelId),
      })
      .isPaused(false)
      .build();
  });
}

/** The `groups` document of the alert-rule provisioning file (Grafana's file-provisioning shape). */
export function alertRulesProvisioning(params: AlertParams = DEFAULT_ALERT_PARAMS): Record<string, unknown> {
  const rules = alertRules(params).map((r) => ({
    uid: r.uid,
    title: r.title,
    condition: r.condition,
    data: r.data,
    noDataState: r.noDataState,
    execErrState: r.execErrState,
    for: r.for,
    annotations: r.annotations,
    labels: r.labels,
    isPaused: r.isPaused,
  }));
  return {
    apiVersion: 1,
    groups: [{ orgId: 1, name: ALERT_GROUP.name, folder: ALERT_FOLDER.title, interval: ALERT_GROUP.interval, rules }],
  };
}
