/**
 * What every dashboard shares: uid/tags, the `service` and `workflow` variables, links between the
 * dashboards, and the seed's report periods as time presets and links (daily report = today so
 * far, `now/d`; weekly report = the last 7 days, `now-7d`).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasources.js';

/** Tag of every generated dashboard (the dashboards link menu lists them by it). */
export const DASHBOARD_TAG = 'orchestrator-audit';

/** Uids of the generated dashboards. */
export const DASHBOARD_UIDS = {
  overview: 'audit-overview',
  funnel: 'audit-lead-funnel',
  performance: 'audit-performance',
  errors: 'audit-errors',
  integrity: 'audit-integrity',
  leadHistory: 'audit-lead-history',
} as const;

/** The seed's report periods: name, `from`, `to`. */
export const REPORT_PERIODS = [
  { display: 'Daily report (today so far)', from: 'now/d', to: 'now' },
  { display: 'Weekly report (last 7 days)', from: 'now-7d', to: 'now' },
] as const;

/** URL of the lead-history dashboard for a lead id expression (e.g. `${__value.raw}`), keeping the time range. */
export function leadHistoryUrl(leadExpr: string): string {
  return `/d/${DASHBOARD_UIDS.leadHistory}/lead-history?var-lead=${leadExpr}&\${__url_time_range}`;
}

/** `service` variable: Prometheus `job` values, shown without the optional `<namespace>/` prefix. */
function serviceVariable(): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('service')
    .label('Service')
    .description('service.name of the orchestrator (Prometheus job, Loki service_name)')
    .datasource(PROMETHEUS)
    .query({
      qryType: 1,
      query: 'label_values(orchestrator_audit_events_total, job)',
      refId: 'PrometheusVariableQueryEditor-VariableQuery',
    })
    .definition('label_values(orchestrator_audit_events_total, job)')
    .regex('/^(?:.*\\/)?(.+)$/')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .current({ text: 'All', value: '$__all' });
}

/** `workflow` variable: `orchestrator_workflow` values of the selected services. */
function workflowVariable(): dashboard.QueryVariableBuilder {
  const q = 'label_values(orchestrator_audit_events_total{job=~"(.+/)?$service"}, orchestrator_workflow)';
  return new dashboard.QueryVariableBuilder('workflow')
    .label('Workflow')
    .description('orchestrator.workflow of the audit events')
    .datasource(PROMETHEUS)
    .query({ qryType: 1, query: q, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(q)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .current({ text: 'All', value: '$__all' });
}

/** A dashboard with the shared settings, variables and links; the caller adds the panels. */
export function baseDashboard(
  uid: string,
  title: string,
  description: string,
  options: { workflowVariable?: boolean } = {},
): dashboard.DashboardBuilder {
  const d = new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG])
    .editable()
    .timezone('browser')
    .time({ from: 'now-24h', to: 'now' })
    .refresh('1m')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timepicker(
      new dashboard.TimePickerBuilder()
        .refreshIntervals(['30s', '1m', '5m', '15m', '1h'])
        .quickRanges(
          REPORT_PERIODS.map((p) => new dashboard.TimeOptionBuilder().display(p.display).from(p.from).to(p.to)),
        ),
    )
    .withVariable(serviceVariable());
  if (options.workflowVariable !== false) d.withVariable(workflowVariable());
  d.link(
    new dashboard.DashboardLinkBuilder('Audit dashboards')
      .type(dashboard.DashboardLinkType.Dashboards)
      .tags([DASHBOARD_TAG])
      .asDropdown(true)
      .includeVars(true)
      .keepTime(true)
      .icon('external link')
      .tooltip('')
      .targetBlank(false),
  );
  for (const p of REPORT_PERIODS) {
    d.link(
      new dashboard.DashboardLinkBuilder(p.display)
        .type(dashboard.DashboardLinkType.Link)
        .url(`/d/${uid}?from=${encodeURIComponent(p.from)}&to=${p.to}`)
        .tags([])
        .asDropdown(false)
        .includeVars(true)
        .keepTime(false)
        .icon('dashboard')
        .tooltip(`Same view as the seed's ${p.display.split(' ')[0]!.toLowerCase()} HTML report`)
        .targetBlank(false),
    );
  }
  return d;
}
