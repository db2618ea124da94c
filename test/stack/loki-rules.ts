/**
 * The rules Loki applies when it starts and when it ingests an OTLP log record, restated from its
 * source at the tag docker-compose.yml pins (grafana/loki v3.7.6), so that our Loki configuration
 * and the SDK's records can be held to them without running Loki (AGPL; it cannot run here). Each
 * rule names the upstream file it comes from. Read for facts only; no upstream code is copied.
 *
 * - pkg/loghttp/push/otlp_config.go: `otlp_config` actions (index_label, structured_metadata, drop),
 *   `attributes` xor `regex`, anchored regex match on the attribute key as sent, first matching
 *   rule wins, unmatched → structured metadata; Loki's default index labels (incl.
 *   `service.instance.id`) are prepended unless `ignore_defaults`; index_label not allowed for
 *   scope attributes (Validate).
 * - pkg/loghttp/push/otlp.go: resource and scope attributes not indexed become structured metadata
 *   of every entry; a map attribute becomes one entry per leaf (`<key>_<leaf>`); names pass through
 *   the Prometheus label namer (non [a-zA-Z0-9_] → `_`); non-string leaves as text; extra entries
 *   `observed_timestamp`, `severity_number`, `severity_text`, `dropped_attributes_count`, `flags`,
 *   `trace_id`, `span_id`.
 * - pkg/distributor/validator.go + pkg/util/entry_size.go: structured metadata size = Σ (len(name)
 *   + len(value)) in bytes, entry count; over `max_structured_metadata_size` (64KB) or
 *   `max_structured_metadata_entries_count` (128) the entry is refused (HTTP 400).
 * - pkg/validation/limits.go: defaults (max_line_size 256KB, max_query_series 500,
 *   max_query_length 721h, reject_old_samples_max_age 7d, max_label_names_per_series 15).
 */
import type { OtlpAnyValue, OtlpKeyValue, ReceivedOtlpLog } from './otlp-log-receiver.js';

/** Upstream source the rules come from. */
export const LOKI_UPSTREAM = { repo: 'grafana/loki', tag: 'v3.7.6' } as const;

/** Loki's defaults at that tag (pkg/validation/limits.go, pkg/loghttp/push/otlp_config.go). */
export const LOKI_DEFAULTS = {
  maxLineSizeBytes: 256 * 1024,
  maxStructuredMetadataSizeBytes: 64 * 1024,
  maxStructuredMetadataEntries: 128,
  maxQuerySeries: 500,
  maxQueryLengthHours: 721,
  rejectOldSamplesMaxAgeHours: 7 * 24,
  maxLabelNamesPerSeries: 15,
  defaultIndexLabels: [
    'service.name',
    'service.namespace',
    'service.instance.id',
    'deployment.environment',
    'deployment.environment.name',
    'cloud.region',
    'cloud.availability_zone',
    'k8s.cluster.name',
    'k8s.namespace.name',
    'k8s.pod.name',
    'k8s.container.name',
    'container.name',
    'k8s.replicaset.name',
    'k8s.deployment.name',
    'k8s.statefulset.name',
    'k8s.daemonset.name',
    'k8s.cronjob.name',
    'k8s.job.name',
  ],
} as const;

/** One `attributes_config` rule. */
export interface AttributesRule {
  readonly action?: string;
  readonly attributes?: readonly string[];
  readonly regex?: string;
}

/** `limits_config.otlp_config` as written in a Loki config file. */
export interface OtlpConfig {
  readonly resource_attributes?: {
    readonly ignore_defaults?: boolean;
    readonly attributes_config?: readonly AttributesRule[];
  };
  readonly scope_attributes?: readonly AttributesRule[];
  readonly log_attributes?: readonly AttributesRule[];
}

const ACTIONS = ['index_label', 'structured_metadata', 'drop'];

/** Start-up errors Loki would report for this `otlp_config` (empty when it starts). */
export function otlpConfigErrors(cfg: OtlpConfig | undefined): string[] {
  const errors: string[] = [];
  const check = (where: string, rules: readonly AttributesRule[] | undefined, indexAllowed: boolean): void => {
    for (const [i, r] of (rules ?? []).entries()) {
      const action = r.action ?? 'structured_metadata';
      if (!ACTIONS.includes(action)) errors.push(`${where}[${i}]: unsupported action ${action}`);
      const hasAttrs = (r.attributes?.length ?? 0) > 0;
      if (!hasAttrs && r.regex === undefined) errors.push(`${where}[${i}]: attributes or regex must be set`);
      if (hasAttrs && r.regex !== undefined) errors.push(`${where}[${i}]: only one of attributes or regex must be set`);
      if (!indexAllowed && action === 'index_label')
        errors.push(`${where}[${i}]: index_label action is only supported for resource_attributes`);
      if (r.regex !== undefined) {
        try {
          new RegExp(r.regex);
        } catch (err) {
          errors.push(`${where}[${i}]: bad regex: ${String(err)}`);
        }
      }
    }
  };
  check('resource_attributes.attributes_config', cfg?.resource_attributes?.attributes_config, true);
  check('scope_attributes', cfg?.scope_attributes, false);
  check('log_attributes', cfg?.log_attributes, true);
  return errors;
}

function resourceRules(cfg: OtlpConfig | undefined): AttributesRule[] {
  const own = [...(cfg?.resource_attributes?.attributes_config ?? [])];
  if (cfg?.resource_attributes?.ignore_defaults === true) return own;
  return [{ action: 'index_label', attributes: LOKI_DEFAULTS.defaultIndexLabels }, ...own];
}

/** The action Loki takes for an attribute key (first matching rule; anchored regex; else structured metadata). */
export function actionFor(key: string, rules: readonly AttributesRule[]): string {
  for (const r of rules) {
    if (r.regex !== undefined && new RegExp(`^(?:${r.regex})$`).test(key)) return r.action ?? 'structured_metadata';
    if (r.attributes?.includes(key)) return r.action ?? 'structured_metadata';
  }
  return 'structured_metadata';
}

/** Prometheus label namer as Loki applies it to attribute names. */
export function labelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `key_${name}` : name;
}

/** A (name, value) pair of structured metadata or labels. */
export interface LabelPair {
  readonly name: string;
  readonly value: string;
}

function anyText(v: OtlpAnyValue): string {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.arrayValue !== undefined) return JSON.stringify((v.arrayValue.values ?? []).map(anyText));
  return '';
}

/** One attribute as Loki's pairs: a map becomes one pair per leaf, `<prefix>_<key>`. */
export function attributePairs(key: string, value: OtlpAnyValue, prefix = ''): LabelPair[] {
  const name = labelName(prefix === '' ? key : `${prefix}_${key}`);
  if (value.kvlistValue !== undefined)
    return (value.kvlistValue.values ?? []).flatMap((kv) => attributePairs(kv.key, kv.value, name));
  return [{ name, value: anyText(value) }];
}

/** What Loki makes of one OTLP log record under `cfg`: index labels and structured metadata. */
export interface LokiEntryShape {
  readonly labels: LabelPair[];
  readonly structuredMetadata: LabelPair[];
}

/** Maps a received OTLP record the way Loki's OTLP ingestion does (pkg/loghttp/push/otlp.go). */
export function lokiEntryOf(rec: ReceivedOtlpLog, cfg: OtlpConfig | undefined): LokiEntryShape {
  const labels: LabelPair[] = [];
  const sm: LabelPair[] = [];
  const place = (kvs: readonly OtlpKeyValue[], rules: readonly AttributesRule[]): void => {
    for (const kv of kvs) {
      const action = actionFor(kv.key, rules);
      if (action === 'drop') continue;
      (action === 'index_label' ? labels : sm).push(...attributePairs(kv.key, kv.value));
    }
  };
  place(rec.attributes, cfg?.log_attributes ?? []);
  if (rec.timeUnixNano && rec.timeUnixNano !== '0' && rec.observedTimeUnixNano && rec.observedTimeUnixNano !== '0')
    sm.push({ name: 'observed_timestamp', value: rec.observedTimeUnixNano });
  if (rec.severityNumber) sm.push({ name: 'severity_number', value: String(rec.severityNumber) });
  if (rec.severityText) sm.push({ name: 'severity_text', value: rec.severityText });
  if (rec.droppedAttributesCount)
    sm.push({ name: 'dropped_attributes_count', value: String(rec.droppedAttributesCount) });
  if (rec.flags) sm.push({ name: 'flags', value: String(rec.flags) });
  if (rec.traceId) sm.push({ name: 'trace_id', value: rec.traceId });
  if (rec.spanId) sm.push({ name: 'span_id', value: rec.spanId });
  place(rec.resourceAttributes, resourceRules(cfg));
  place(rec.scopeAttributes, cfg?.scope_attributes ?? []);
  return { labels, structuredMetadata: sm };
}

/** Structured-metadata size as Loki counts it (bytes of names and values; `level` excluded). */
export function structuredMetadataBytes(sm: readonly LabelPair[]): number {
  return sm
    .filter((p) => p.name !== 'level')
    .reduce((n, p) => n + Buffer.byteLength(p.name) + Buffer.byteLength(p.value), 0);
}

/** Limits of a Loki config (`limits_config`), Loki's defaults where unset. */
export interface EffectiveLimits {
  readonly maxLineSizeBytes: number;
  readonly maxStructuredMetadataSizeBytes: number;
  readonly maxStructuredMetadataEntries: number;
}

/** Parses Loki's byte sizes (`64KB`, `256kb`, plain numbers = bytes). */
export function byteSize(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const m = /^(\d+)\s*([kKmMgG]?)[iI]?[bB]?$/.exec(String(v).trim());
  if (!m) throw new Error(`not a Loki byte size: ${String(v)}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] as string).toLowerCase()] as number;
  return Number(m[1]) * mult;
}

/** Why Loki's distributor would refuse this entry (empty when it is accepted). */
export function entryRefusals(line: string, shape: LokiEntryShape, limits: EffectiveLimits): string[] {
  const out: string[] = [];
  const lineBytes = Buffer.byteLength(line);
  if (limits.maxLineSizeBytes > 0 && lineBytes > limits.maxLineSizeBytes)
    out.push(`line ${lineBytes} B > max_line_size ${limits.maxLineSizeBytes}`);
  const smBytes = structuredMetadataBytes(shape.structuredMetadata);
  if (limits.maxStructuredMetadataSizeBytes > 0 && smBytes > limits.maxStructuredMetadataSizeBytes)
    out.push(
      `structured metadata ${smBytes} B > max_structured_metadata_size ${limits.maxStructuredMetadataSizeBytes}`,
    );
  const n = shape.structuredMetadata.length;
  if (limits.maxStructuredMetadataEntries > 0 && n > limits.maxStructuredMetadataEntries)
    out.push(
      `${n} structured metadata entries > max_structured_metadata_entries_count ${limits.maxStructuredMetadataEntries}`,
    );
  return out;
}

/** Parses a Prometheus-style duration (`168h`, `7d`, `90d`, `2160h`) into hours. */
export function durationHours(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const m = /^(\d+)(h|d|w|y)$/.exec(String(v).trim());
  if (!m) throw new Error(`unsupported duration ${String(v)}`);
  return Number(m[1]) * { h: 1, d: 24, w: 168, y: 8760 }[m[2] as 'h' | 'd' | 'w' | 'y'];
}
