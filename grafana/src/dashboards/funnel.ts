/** Lead funnel: ingested → qualified → routed → CRM → email, outcomes, most active leads. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, DASHBOARD_UIDS, leadHistoryUrl } from '../dashboard-base.js';
import { barGaugePanel, GridLayout, logsPanel, tablePanel } from '../panels.js';
import { FUNNEL_STAGES } from '../queries.js';

/** Builds the lead funnel dashboard. */
export function funnelDashboard(): dashboard.Dashboard {
  const l = new GridLayout();
  const d = baseDashboard(
    DASHBOARD_UIDS.funnel,
    'Orchestrator audit — lead funnel',
    'Leads through the pipeline stages (Prometheus counters) and their outcomes (Loki records).',
  );
  d.withPanel(
    barGaugePanel(l, {
      title: 'Lead funnel',
      description: 'Events per stage in the time range, in pipeline order',
      w: 14,
      h: 10,
      targets: FUNNEL_STAGES.map((s) => ({ query: `funnel.${s.type}`, legend: s.label })),
    }),
  );
  d.withPanel(
    barGaugePanel(l, {
      title: 'Qualification outcome',
      description: 'lead_qualified records by orchestrator.lead.qualified (true/false), from Loki',
      w: 10,
      h: 10,
      datasource: 'loki',
      targets: [
        { query: 'funnel.qualified_outcome', legend: 'qualified={{orchestrator_lead_qualified}}', instant: true },
      ],
    }),
  );
  l.newRow();
  d.withPanel(
    barGaugePanel(l, {
      title: 'Routing destinations',
      description: 'lead_routed records by destination, from Loki',
      w: 10,
      h: 10,
      datasource: 'loki',
      targets: [{ query: 'funnel.routes', legend: '{{orchestrator_route_destination}}', instant: true }],
    }),
  );
  d.withPanel(
    tablePanel(l, {
      title: 'Most active leads',
      description: 'Records per lead id; click a lead id for its whole history',
      w: 14,
      h: 10,
      datasource: 'loki',
      targets: [{ query: 'funnel.leads_table' }],
      link: { field: 'orchestrator_lead_id', title: 'Lead history', url: leadHistoryUrl('${__value.raw}') },
    }),
  );
  l.newRow();
  d.withPanel(
    logsPanel(l, {
      title: 'Recently ingested leads',
      description: 'lead_ingested records; the lead id in the log details links to the lead history',
      w: 24,
      h: 10,
      targets: [{ query: 'funnel.recent_leads' }],
    }),
  );
  return d.build();
}
