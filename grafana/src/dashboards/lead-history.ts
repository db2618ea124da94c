/** Lead history: every record of one lead id (target of the lead-id links). */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, DASHBOARD_UIDS } from '../dashboard-base.js';
import { GridLayout, logsPanel } from '../panels.js';

/** Builds the lead history dashboard (variable `lead`, a text box). */
export function leadHistoryDashboard(): dashboard.Dashboard {
  const l = new GridLayout();
  const d = baseDashboard(
    DASHBOARD_UIDS.leadHistory,
    'Orchestrator audit — lead history',
    'Every audit record of one lead, oldest first (the seed get_lead_history).',
    {
      workflowVariable: false,
    },
  );
  d.time({ from: 'now-7d', to: 'now' });
  d.withVariable(
    new dashboard.TextBoxVariableBuilder('lead').label('Lead id').description('orchestrator.lead.id').defaultValue(''),
  );
  const p = logsPanel(l, {
    title: 'Records of lead $lead',
    description: 'Signed records in Loki for this lead id',
    w: 24,
    h: 20,
    targets: [{ query: 'lead.history' }],
  });
  p.sortOrder(common.LogsSortOrder.Ascending);
  d.withPanel(p);
  return d.build();
}
