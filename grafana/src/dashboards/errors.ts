/** Errors: error rate (Prometheus) and the error records with their details (Loki). */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, DASHBOARD_UIDS } from '../dashboard-base.js';
import { GridLayout, logsPanel, statPanel, timeSeriesPanel } from '../panels.js';

/** Builds the errors dashboard. */
export function errorsDashboard(): dashboard.Dashboard {
  const l = new GridLayout();
  const d = baseDashboard(
    DASHBOARD_UIDS.errors,
    'Orchestrator audit — errors',
    'Error rate by type and the error records with type, message, lead, workflow and traceback.',
  );
  d.withPanel(
    statPanel(l, {
      title: 'Errors in range',
      description: 'Error events in the time range (alert: 10 in 5 minutes)',
      w: 6,
      h: 8,
      targets: [{ query: 'errors.total' }],
      thresholds: [
        { value: null, color: 'green' },
        { value: 1, color: 'orange' },
        { value: 10, color: 'red' },
      ],
    }),
  );
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Errors/s by type and workflow',
      description: 'Rate of error events (Prometheus counter)',
      w: 18,
      h: 8,
      unit: 'ops',
      bars: true,
      targets: [{ query: 'errors.rate_by_type', legend: '{{orchestrator_error_type}} ({{orchestrator_workflow}})' }],
    }),
  );
  l.newRow();
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Error records by type (Loki)',
      description: 'Error records per type counted in Loki',
      w: 24,
      h: 7,
      datasource: 'loki',
      bars: true,
      targets: [{ query: 'errors.by_type_loki', legend: '{{orchestrator_error_type}}' }],
    }),
  );
  l.newRow();
  d.withPanel(
    logsPanel(l, {
      title: 'Error records',
      description:
        'One line per error: type, message, lead, workflow. Open a line for every field (traceback, signature, stream, sequence); the lead id links to its history.',
      w: 24,
      h: 14,
      targets: [{ query: 'errors.logs' }],
    }),
  );
  return d.build();
}
