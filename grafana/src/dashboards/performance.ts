/** Performance: p50/p95/p99/max per operation from the native histogram, mean and volume. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, DASHBOARD_UIDS } from '../dashboard-base.js';
import { GridLayout, tablePanel, textPanel, timeSeriesPanel } from '../panels.js';
import { PERCENTILES } from '../queries.js';

/** Builds the performance dashboard. */
export function performanceDashboard(): dashboard.Dashboard {
  const l = new GridLayout();
  const d = baseDashboard(
    DASHBOARD_UIDS.performance,
    'Orchestrator audit — performance',
    'Operation durations from the orchestrator.operation.duration native histogram (Prometheus).',
  );
  for (const p of PERCENTILES) {
    d.withPanel(
      timeSeriesPanel(l, {
        title: `${p.name} duration per operation`,
        description:
          p.name === 'max'
            ? 'Upper bound of the highest populated histogram bucket (not the exact maximum)'
            : `${p.name} of the operation durations per operation`,
        w: 12,
        h: 8,
        unit: 's',
        targets: [{ query: `performance.${p.name}`, legend: '{{orchestrator_operation}}' }],
      }),
    );
  }
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Mean duration per operation',
      description: 'histogram_sum / histogram_count',
      w: 12,
      h: 8,
      unit: 's',
      targets: [{ query: 'performance.avg', legend: '{{orchestrator_operation}}' }],
    }),
  );
  d.withPanel(
    tablePanel(l, {
      title: 'Operations over the time range',
      description: 'Count and percentiles per operation over the whole time range (the seed performance report)',
      w: 12,
      h: 8,
      unit: 's',
      targets: [
        { query: 'performance.count', legend: 'count' },
        ...PERCENTILES.map((p) => ({ query: `performance.range_${p.name}`, legend: p.name })),
      ],
    }),
  );
  l.newRow();
  d.withPanel(
    textPanel(
      l,
      'Accuracy',
      24,
      4,
      'Percentiles are interpolated inside exponential histogram buckets, so a value is off by at most one bucket width: a factor of 2^(2^-scale), where the SDK picks the scale so that the recorded spread of durations fits in 160 buckets. "max" is the upper bound of the highest populated bucket. Exact values from the raw durations: `audit-cli performance` on the journal.',
    ),
  );
  return d.build();
}
