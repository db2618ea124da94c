/**
 * loki/loki-config.yaml held to what Loki enforces at the pinned tag (grafana/loki v3.7.6; rules and
 * upstream files in test/stack/loki-rules.ts): it must start (otlp_config validation), index no
 * per-process attribute, accept what the collector retries after long outages, let audit-cli read
 * the whole retention in one query, and every dashboard/alert LogQL query must stay within
 * max_query_series. Each check is also run on a copy with the defect put back and must fail there.
 */
import { expect } from 'chai';
import { allQueries } from '../../grafana/src/queries.js';
import { DEFAULT_SANITIZE_LIMITS, MAX_ID_LENGTH } from '../../src/events/sanitize.js';
import { LOKI_DEFAULT_LOOKBACK_DAYS } from '../../src/query/loki/loki-query-source.js';
import { readRepoFile, readYaml } from '../grafana/repo-files.js';
import {
  actionFor,
  byteSize,
  durationHours,
  LOKI_DEFAULTS,
  LOKI_UPSTREAM,
  otlpConfigErrors,
  type OtlpConfig,
} from './loki-rules.js';

interface LokiLimits {
  readonly max_line_size?: string;
  readonly ingestion_burst_size_mb?: number;
  readonly otlp_config?: OtlpConfig;
  readonly reject_old_samples?: boolean;
  readonly reject_old_samples_max_age?: string;
  readonly retention_period?: string;
  readonly max_query_length?: string;
  readonly max_query_series?: number;
  readonly shard_aggregations?: readonly string[];
}

const config = readYaml('loki/loki-config.yaml') as { limits_config: LokiLimits };
const limits = config.limits_config;

/** Labels with one value per record or per lead: a `sum by` over them grows with the data. */
const UNBOUNDED_LABELS = ['orchestrator_lead_id', 'trace_id', 'span_id', 'audit_seq', 'audit_sig'];

/** Index labels a resource gets under `cfg` (pkg/loghttp/push/otlp_config.go). */
function indexLabelsOf(cfg: OtlpConfig | undefined, resourceKeys: readonly string[]): string[] {
  const own = [...(cfg?.resource_attributes?.attributes_config ?? [])];
  const rules =
    cfg?.resource_attributes?.ignore_defaults === true
      ? own
      : [{ action: 'index_label', attributes: LOKI_DEFAULTS.defaultIndexLabels }, ...own];
  return resourceKeys.filter((k) => actionFor(k, rules) === 'index_label');
}

/** Why a LogQL query would exceed max_query_series on a growing data set (empty when it cannot). */
function seriesLimitProblems(expr: string, lim: LokiLimits): string[] {
  const out: string[] = [];
  for (const m of expr.matchAll(/(\w+)\s*\(\s*\d+\s*,\s*sum by \(([^)]*)\)/g)) {
    const [, fn, by] = m as unknown as [string, string, string];
    const grows = by
      .split(',')
      .map((s) => s.trim())
      .some((l) => UNBOUNDED_LABELS.includes(l));
    if (!grows) continue;
    if (fn !== 'approx_topk')
      out.push(
        `${fn} over sum by (${by}): one series per value, capped by max_query_series ${lim.max_query_series ?? LOKI_DEFAULTS.maxQuerySeries}`,
      );
    else if (!(lim.shard_aggregations ?? []).includes('approx_topk'))
      out.push('approx_topk needs limits_config.shard_aggregations: [approx_topk]');
  }
  for (const m of expr.matchAll(/(?<!\(\s*\d+\s*,\s*)sum by \(([^)]*)\)/g)) {
    const by = (m[1] as string).split(',').map((s) => s.trim());
    if (by.some((l) => UNBOUNDED_LABELS.includes(l)) && !/topk\(\s*\d+\s*,\s*$/.test(expr.slice(0, m.index)))
      out.push(`sum by (${by.join(', ')}) returns one series per value`);
  }
  return out;
}

describe(`loki/loki-config.yaml against Loki's rules (${LOKI_UPSTREAM.repo} ${LOKI_UPSTREAM.tag})`, () => {
  it('otlp_config passes the validation Loki runs at start-up (pkg/loghttp/push/otlp_config.go, pkg/validation/limits.go Validate)', () => {
    expect(otlpConfigErrors(limits.otlp_config)).to.deep.equal([]);
    expect(
      otlpConfigErrors({ scope_attributes: [{ action: 'index_label', attributes: ['x'] }] }),
      'defect put back',
    ).to.have.length(1);
    expect(otlpConfigErrors({ log_attributes: [{ action: 'drop' }] }), 'defect put back').to.have.length(1);
    expect(
      otlpConfigErrors({ log_attributes: [{ action: 'drop', attributes: ['a'], regex: 'a' }] }),
      'defect put back',
    ).to.have.length(1);
  });

  it('index labels: the service, never service.instance.id (Loki indexes it by default: a stream per process)', () => {
    const resource = [
      'service.name',
      'service.namespace',
      'service.instance.id',
      'deployment.environment.name',
      'host.name',
      'process.pid',
    ];
    const labels = indexLabelsOf(limits.otlp_config, resource);
    expect(labels).to.deep.equal(['service.name', 'service.namespace', 'deployment.environment.name']);
    expect(labels.length + 1, 'label names per series incl. service_name').to.be.at.most(
      LOKI_DEFAULTS.maxLabelNamesPerSeries,
    );
    // Loki's defaults (no ignore_defaults) index it:
    expect(
      indexLabelsOf(
        { resource_attributes: { attributes_config: limits.otlp_config?.resource_attributes?.attributes_config } },
        resource,
      ),
    ).to.include('service.instance.id');
  });

  it('records retried after an outage up to the retention are accepted (reject_old_samples_max_age ≥ retention_period)', () => {
    const retention = durationHours(limits.retention_period, 0);
    expect(retention).to.equal(90 * 24);
    if (limits.reject_old_samples !== false) {
      expect(
        durationHours(limits.reject_old_samples_max_age, LOKI_DEFAULTS.rejectOldSamplesMaxAgeHours),
      ).to.be.at.least(retention);
    }
    expect(LOKI_DEFAULTS.rejectOldSamplesMaxAgeHours, "Loki's default would refuse them").to.be.below(retention);
  });

  it('audit-cli --source loki reads the whole retention, in one query Loki allows (max_query_length)', () => {
    const retention = durationHours(limits.retention_period, 0);
    expect(LOKI_DEFAULT_LOOKBACK_DAYS * 24).to.equal(retention);
    expect(durationHours(limits.max_query_length, LOKI_DEFAULTS.maxQueryLengthHours)).to.be.at.least(retention);
  });

  it('no dashboard or alert LogQL query grows past max_query_series with the data (pkg/logql/engine.go, pkg/querier/queryrange)', () => {
    const logql = allQueries().filter((q) => q.kind === 'logql');
    expect(logql.length).to.be.greaterThan(5);
    for (const q of logql) expect(seriesLimitProblems(q.expr, limits), q.id).to.deep.equal([]);
    // the defect put back is found:
    expect(
      seriesLimitProblems('topk(50, sum by (orchestrator_lead_id) (count_over_time({a="b"}[1h])))', limits),
    ).to.have.length(1);
    expect(
      seriesLimitProblems('approx_topk(50, sum by (orchestrator_lead_id) (count_over_time({a="b"}[1h])))', {
        ...limits,
        shard_aggregations: [],
      }),
    ).to.have.length(1);
    expect(seriesLimitProblems('sum by (orchestrator_lead_id) (count_over_time({a="b"}[1h]))', limits)).to.have.length(
      1,
    );
  });

  it('the map attributes are dropped (the log line carries them): one structured-metadata entry per leaf otherwise', () => {
    const rules = limits.otlp_config?.log_attributes ?? [];
    for (const key of ['orchestrator.lead.data', 'orchestrator.crm.fields', 'orchestrator.fields'])
      expect(actionFor(key, rules), key).to.equal('drop');
    for (const key of [
      'orchestrator.lead.id',
      'orchestrator.workflow',
      'orchestrator.event.type',
      'audit.sig',
      'audit.stream',
      'audit.seq',
      'orchestrator.error.message',
    ]) {
      expect(actionFor(key, rules), key).to.equal('structured_metadata');
    }
  });

  it('the largest log line the SDK can produce fits max_line_size; one collector batch fits the ingestion burst', () => {
    // the line is the canonical JSON record: ≤ 6 bytes per counted unit (\u00XX escapes) of the
    // structured input budget, two texts and four ids, plus the record's fixed fields
    const L = DEFAULT_SANITIZE_LIMITS;
    const bound = 6 * (L.maxBytes + 2 * L.maxStringLength + 4 * MAX_ID_LENGTH) + 16 * 1024;
    expect(byteSize(limits.max_line_size, LOKI_DEFAULTS.maxLineSizeBytes)).to.be.at.least(bound);
    expect(LOKI_DEFAULTS.maxLineSizeBytes, "Loki's default refuses such a record").to.be.below(bound);
    const collector = readYaml('collector-config/collector.yaml') as {
      exporters: Record<string, { sending_queue?: { batch?: { sizer?: string; max_size?: number } } }>;
    };
    const batch = collector.exporters['otlp_http/loki']?.sending_queue?.batch;
    expect(batch?.sizer, 'batches sized in bytes').to.equal('bytes');
    expect(batch!.max_size!).to.be.at.most((limits.ingestion_burst_size_mb ?? 6) * 1024 * 1024);
  });

  it('every limits_config key is one Loki knows (it parses its config strictly: pkg/util/cfg/files.go)', () => {
    const known = new Set(
      readRepoFile('test/stack/fixtures/loki-v3.7.6-limits-keys.txt')!
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
    expect(known.size).to.be.greaterThan(100);
    const unknown = (keys: readonly string[]): string[] => keys.filter((k) => !known.has(k));
    expect(unknown(Object.keys(limits))).to.deep.equal([]);
    expect(unknown(['max_query_series', 'max_querier_series'])).to.deep.equal(['max_querier_series']);
    const otlpKeys = Object.keys(limits.otlp_config ?? {});
    expect(
      otlpKeys.filter(
        (k) => !['resource_attributes', 'scope_attributes', 'log_attributes', 'severity_text_as_label'].includes(k),
      ),
    ).to.deep.equal([]);
  });

  it('approx_topk only in instant queries (Loki supports it for instant queries only)', () => {
    const dashboards = [
      'audit-overview',
      'audit-lead-funnel',
      'audit-performance',
      'audit-errors',
      'audit-integrity',
      'audit-lead-history',
    ];
    let seen = 0;
    for (const name of dashboards) {
      const d = readYaml(`grafana/dashboards/${name}.json`) as {
        panels: { targets?: { expr?: string; queryType?: string; instant?: boolean }[] }[];
      };
      for (const t of d.panels.flatMap((p) => p.targets ?? [])) {
        if (!t.expr?.includes('approx_topk')) continue;
        seen++;
        expect(t.queryType === 'instant' || t.instant === true, t.expr).to.equal(true);
      }
    }
    expect(seen).to.equal(1);
  });
});
