/** Audit overview: events/s by type and workflow, leads processed, errors. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, DASHBOARD_UIDS } from '../dashboard-base.js';
import { GridLayout, statPanel, timeSeriesPanel } from '../panels.js';

/** Builds the audit overview dashboard. */
export function overviewDashboard(): dashboard.Dashboard {
  const l = new GridLayout();
  const d = baseDashboard(
    DASHBOARD_UIDS.overview,
    'Orchestrator audit — overview',
    'Audit events by type and workflow, leads processed and errors (Prometheus).',
  );
  d.withPanel(
    statPanel(l, {
      title: 'Leads processed',
      description: 'lead_ingested events in the time range',
      w: 6,
      h: 4,
      targets: [{ query: 'overview.leads_processed' }],
    }),
  );
  d.withPanel(
    statPanel(l, {
      title: 'Audit events',
      description: 'All audit events in the time range',
      w: 6,
      h: 4,
      targets: [{ query: 'overview.events_total' }],
    }),
  );
  d.withPanel(
    statPanel(l, {
      title: 'Errors',
      description: 'Error events in the time range',
      w: 6,
      h: 4,
      targets: [{ query: 'overview.errors_total' }],
      thresholds: [
        { value: null, color: 'green' },
        { value: 1, color: 'orange' },
        { value: 10, color: 'red' },
      ],
    }),
  );
  d.withPanel(
    statPanel(l, {
      title: 'Workflows',
      description: 'Workflows with events in the time range',
      w: 6,
      h: 4,
      targets: [{ query: 'overview.workflows_active' }],
    }),
  );
  l.newRow();
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Events/s by type',
      description: 'Rate of audit events per event type',
      w: 12,
      h: 9,
      unit: 'ops',
      stacked: true,
      targets: [{ query: 'overview.events_by_type', legend: '{{orchestrator_event_type}}' }],
    }),
  );
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Events/s by workflow',
      description: 'Rate of audit events per workflow',
      w: 12,
      h: 9,
      unit: 'ops',
      stacked: true,
      targets: [{ query: 'overview.events_by_workflow', legend: '{{orchestrator_workflow}}' }],
    }),
  );
  l.newRow();
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Errors/s by type',
      description: 'Rate of error events per error type',
      w: 24,
      h: 8,
      unit: 'ops',
      bars: true,
      targets: [{ query: 'overview.error_rate', legend: '{{orchestrator_error_type}}' }],
    }),
  );
  return d.build();
}
