/**
 * Integrity: seals, audit failures that put the trail at risk, and per-stream sequence checks on
 * the records in Loki. What it can and cannot prove is written on the dashboard itself.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, DASHBOARD_UIDS } from '../dashboard-base.js';
import { GridLayout, logsPanel, statPanel, tablePanel, textPanel, timeSeriesPanel } from '../panels.js';

const RED_ABOVE_ZERO = [
  { value: null, color: 'green' },
  { value: 1, color: 'red' },
];

/** What the integrity dashboard shows, and what only `audit-cli integrity` proves. */
export const INTEGRITY_NOTE = [
  '**What this dashboard shows:** seals written (by reason), audit failures that endanger the trail',
  '(`signing.*`: records that went out unsigned or with converted values, seals not written; `journal.*`: local journal writes;',
  '`verify.*`: reserved for verifier findings pushed as failures), records without a signature in Loki, and per stream',
  '`max(seq) − min(seq) + 1 − count` (positive: sequence numbers missing in Loki; negative: duplicates).',
  '',
  '**What it cannot prove:** it does not check a single signature or chain link. Records altered, forged, reordered',
  'or dropped *together with their sequence numbers* (e.g. a tail truncated after the last seal) look normal here.',
  'The proof is `audit-cli integrity --source loki` (or on the journal): it re-computes every HMAC and `prev` link',
  'and checks each stream against its seals (findings: modified, missing, inserted, reordered, unknown-key, unsealed-tail).',
].join('\n');

/** Builds the integrity dashboard. */
export function integrityDashboard(): dashboard.Dashboard {
  const l = new GridLayout();
  const d = baseDashboard(
    DASHBOARD_UIDS.integrity,
    'Orchestrator audit — integrity',
    'Seals, integrity-relevant audit failures and sequence checks of the signed records.',
    {
      workflowVariable: false,
    },
  );
  d.withPanel(textPanel(l, 'What this dashboard can and cannot prove', 24, 7, INTEGRITY_NOTE));
  l.newRow();
  d.withPanel(
    statPanel(l, {
      title: 'Integrity failures',
      description: 'signing.*, journal.*, verify.* failures in the time range',
      w: 8,
      h: 5,
      targets: [{ query: 'integrity.integrity_failures' }],
      thresholds: RED_ABOVE_ZERO,
    }),
  );
  d.withPanel(
    statPanel(l, {
      title: 'Unsigned records in Loki',
      description: 'Records without audit_sig in the time range',
      w: 8,
      h: 5,
      datasource: 'loki',
      targets: [{ query: 'integrity.unsigned_records' }],
      thresholds: RED_ABOVE_ZERO,
    }),
  );
  d.withPanel(
    tablePanel(l, {
      title: 'Streams: records and sequence gaps',
      description:
        'Per signing stream: records in Loki and missing sequence numbers (max − min + 1 − count) in the time range',
      w: 8,
      h: 5,
      datasource: 'loki',
      targets: [
        { query: 'integrity.records_by_stream', legend: 'records' },
        { query: 'integrity.sequence_gap', legend: 'gap' },
      ],
    }),
  );
  l.newRow();
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Seals by reason',
      description: 'Seal records written (periodic, shutdown, …)',
      w: 12,
      h: 8,
      bars: true,
      targets: [{ query: 'integrity.seals_by_reason', legend: '{{audit_seal_reason}}' }],
    }),
  );
  d.withPanel(
    timeSeriesPanel(l, {
      title: 'Audit failures by kind',
      description: 'Every counted audit failure (orchestrator.audit.failures)',
      w: 12,
      h: 8,
      bars: true,
      targets: [{ query: 'integrity.failures_by_kind', legend: '{{audit_failure_kind}}' }],
    }),
  );
  l.newRow();
  d.withPanel(
    logsPanel(l, {
      title: 'Seal records',
      description: 'Seal records in Loki: audit.seal.count, audit.seal.head and audit.seal.reason in the log details',
      w: 24,
      h: 10,
      targets: [{ query: 'integrity.seal_records' }],
    }),
  );
  return d.build();
}
