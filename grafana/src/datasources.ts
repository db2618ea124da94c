/**
 * The two datasources of the stack (uids are referenced by every panel and alert query) and their
 * provisioning file: Prometheus for metrics, Loki for the signed records, with derived fields that
 * turn lead ids and trace ids into links to the matching Loki query in Explore.
 */
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { leadHistoryLogQL, traceLogQL } from './queries.js';

/** Uid of the Prometheus datasource. */
export const PROMETHEUS_UID = 'prometheus';
/** Uid of the Loki datasource. */
export const LOKI_UID = 'loki';

/** Prometheus URL inside the docker-compose network. */
export const PROMETHEUS_URL = 'http://prometheus:9090';
/** Loki URL inside the docker-compose network. */
export const LOKI_URL = 'http://loki:3100';

/**
 * `${__value.raw}` escaped for provisioning files: Grafana expands `${VAR}` from the environment
 * when it reads them, and `$$` stands for a literal `$`.
 */
const VALUE_RAW_ESCAPED = '$${__value.raw}';

/** Datasource reference of Prometheus panels and queries. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_UID };
/** Datasource reference of Loki panels and queries. */
export const LOKI: DataSourceRef = { type: 'loki', uid: LOKI_UID };

/** Grafana's uid of server-side expressions (math, reduce, threshold) in alert rules. */
export const EXPRESSION_UID = '__expr__';

/**
 * `grafana/provisioning/datasources/datasources.yaml`, with the docker-compose service URLs
 * ({@link PROMETHEUS_URL}, {@link LOKI_URL}).
 */
export function datasourceProvisioning(): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: PROMETHEUS_UID,
        access: 'proxy',
        url: PROMETHEUS_URL,
        isDefault: true,
        editable: false,
        jsonData: { httpMethod: 'POST', timeInterval: '15s', prometheusType: 'Prometheus' },
      },
      {
        name: 'Loki',
        type: 'loki',
        uid: LOKI_UID,
        access: 'proxy',
        url: LOKI_URL,
        editable: false,
        jsonData: {
          maxLines: 5000,
          derivedFields: [
            {
              // Structured metadata `orchestrator_lead_id` → the lead's whole history.
              name: 'Lead history',
              matcherType: 'label',
              matcherRegex: 'orchestrator_lead_id',
              datasourceUid: LOKI_UID,
              url: leadHistoryLogQL(VALUE_RAW_ESCAPED),
              urlDisplayLabel: 'Lead history',
            },
            {
              // OTel trace id (structured metadata `trace_id`) → every record of that trace.
              name: 'Trace records',
              matcherType: 'label',
              matcherRegex: 'trace_id',
              datasourceUid: LOKI_UID,
              url: traceLogQL(VALUE_RAW_ESCAPED),
              urlDisplayLabel: 'Records of this trace',
            },
          ],
        },
      },
    ],
  };
}

/** Title of the folder of the dashboards and alert rules (both name it by title; see alert-rules.ts). */
export const AUDIT_FOLDER_TITLE = 'Orchestrator audit';

/** Directory (inside the Grafana container) where the dashboards JSON are mounted. */
export const DASHBOARDS_PATH = '/var/lib/grafana/dashboards';

/** `grafana/provisioning/dashboards/dashboards.yaml`: the file provider of the generated dashboards. */
export function dashboardProviderProvisioning(): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'orchestrator-audit',
        orgId: 1,
        folder: AUDIT_FOLDER_TITLE,
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: DASHBOARDS_PATH, foldersFromFilesStructure: false },
      },
    ],
  };
}
