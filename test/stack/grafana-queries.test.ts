/**
 * @e2e Every PromQL expression of the Grafana dashboards and alert rules (grafana/src/queries.ts)
 * runs against the real Prometheus (built from Go modules, started by scripts/stack/start.sh) on a
 * seeded data set (test/stack/seed-metrics.ts) and returns the expected value. A PromQL query
 * without an expectation here fails the suite. The LogQL expressions cannot run here: Loki cannot
 * be built on this machine (see docs/stack.md); they are grammar-checked by the grafana tests.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { allQueries } from '../../grafana/src/queries.js';
import { substituteVariables } from '../../grafana/src/template-variables.js';
import { quantileSorted } from '../../src/query/journal/percentiles.js';
import { PrometheusClient, type PromSample } from '../../src/query/prometheus/prometheus-client.js';
import { ERROR_STEPS, SEED_SCALE, STEP_MS, STEPS, seedPrometheus, type SeedDurations } from './seed-metrics.js';
import { assertReachable, stackEnv } from './stack-env.js';

/** Documented accuracy of quantiles from the native histogram. */
const QUANTILE_TOLERANCE = 0.02;
const BUCKET_RATIO = 2 ** (2 ** -SEED_SCALE);

type Check = (rows: readonly PromSample[], d: SeedDurations) => void;
interface Expectation {
  /** Template-variable overrides (besides `service`). */
  readonly vars?: Readonly<Record<string, string>>;
  readonly check: Check;
}

function byLabel(rows: readonly PromSample[], label: string): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.labels[label] ?? '', r.value]));
}

function single(rows: readonly PromSample[]): number {
  expect(rows, 'one result row').to.have.length(1);
  return rows[0]?.value as number;
}

function closeAll(actual: Record<string, number>, expected: Record<string, number>, tol = 1e-9): void {
  expect(Object.keys(actual).sort()).to.deep.equal(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) expect(actual[k], k).to.be.closeTo(v, tol);
}

/** Per-operation quantile from the histogram within 2% of the exact quantile of the raw durations (q=1: bucket bound ≥ max). */
function quantileCheck(q: number): Check {
  return (rows, d) => {
    const got = byLabel(rows, 'orchestrator_operation');
    expect(Object.keys(got).sort()).to.deep.equal(['crm_sync', 'enrich']);
    for (const op of ['enrich', 'crm_sync'] as const) {
      const sorted = [...d[op]].sort((a, b) => a - b);
      const exact = quantileSorted(sorted, q);
      const est = got[op] as number;
      if (q === 1) {
        expect(est, `${op} max bound`)
          .to.be.at.least(exact)
          .and.at.most(exact * BUCKET_RATIO);
      } else {
        expect(Math.abs(est - exact) / exact, `${op} q${q}: ${est} vs exact ${exact}`).to.be.at.most(
          QUANTILE_TOLERANCE,
        );
      }
    }
  };
}

/**
 * Alert expressions select every job (no template variables). So that re-running this suite
 * against the same Prometheus sees only this run's seeded series, `job="<seeded job>"` is added to
 * each metric selector; the expression is otherwise unchanged.
 */
function scopedToJob(expr: string, job: string): string {
  return expr
    .replace(/\b(orchestrator_[a-z_]+)\{/g, `$1{job="${job}", `)
    .replace(/\b(orchestrator_[a-z_]+)\[/g, `$1{job="${job}"}[`);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Expected results at E (the last seeded point), by query id. */
const EXPECTED: Readonly<Record<string, Expectation>> = {
  'overview.events_by_type': {
    check: (rows) =>
      closeAll(byLabel(rows, 'orchestrator_event_type'), {
        lead_ingested: 4 / 15,
        lead_qualified: 3 / 15,
        lead_routed: 2 / 15,
        crm_create: 1 / 15,
        email_sent: 1 / 15,
        workflow_started: 0,
      }),
  },
  'overview.events_by_workflow': {
    check: (rows) => closeAll(byLabel(rows, 'orchestrator_workflow'), { sales: 10 / 15, nurture: 1 / 15 }),
  },
  'overview.leads_processed': { check: (rows) => expect(single(rows)).to.be.closeTo(4 * STEPS, 1e-9) },
  'overview.errors_total': { check: (rows) => expect(single(rows)).to.be.closeTo(20, 1e-9) },
  'overview.events_total': { check: (rows) => expect(single(rows)).to.be.closeTo(11 * STEPS + 1, 1e-9) },
  'overview.workflows_active': { check: (rows) => expect(single(rows)).to.equal(2) },
  'overview.error_rate': { check: (rows) => closeAll(byLabel(rows, 'orchestrator_error_type'), { crm_timeout: 0 }) },
  'funnel.lead_ingested': { check: (rows) => expect(single(rows)).to.be.closeTo(4 * STEPS, 1e-9) },
  'funnel.lead_qualified': { check: (rows) => expect(single(rows)).to.be.closeTo(3 * STEPS, 1e-9) },
  'funnel.lead_routed': { check: (rows) => expect(single(rows)).to.be.closeTo(2 * STEPS, 1e-9) },
  'funnel.crm_create': { check: (rows) => expect(single(rows)).to.be.closeTo(STEPS, 1e-9) },
  'funnel.email_sent': { check: (rows) => expect(single(rows)).to.be.closeTo(STEPS, 1e-9) },
  'performance.p50': { check: quantileCheck(0.5) },
  'performance.p95': { check: quantileCheck(0.95) },
  'performance.p99': { check: quantileCheck(0.99) },
  'performance.max': { check: quantileCheck(1) },
  'performance.range_p50': { check: quantileCheck(0.5) },
  'performance.range_p95': { check: quantileCheck(0.95) },
  'performance.range_p99': { check: quantileCheck(0.99) },
  'performance.range_max': { check: quantileCheck(1) },
  'performance.avg': {
    check: (rows, d) => {
      const got = byLabel(rows, 'orchestrator_operation');
      closeAll(got, { enrich: mean(d.enrich), crm_sync: mean(d.crm_sync) }, 1e-9);
    },
  },
  'performance.count': {
    check: (rows) => closeAll(byLabel(rows, 'orchestrator_operation'), { enrich: 200 * STEPS, crm_sync: 50 * STEPS }),
  },
  'errors.rate_by_type': { check: (rows) => closeAll(byLabel(rows, 'orchestrator_error_type'), { crm_timeout: 0 }) },
  'errors.total': { check: (rows) => expect(single(rows)).to.be.closeTo(20, 1e-9) },
  'integrity.seals_by_reason': { check: (rows) => closeAll(byLabel(rows, 'audit_seal_reason'), { periodic: 4 }) },
  'integrity.failures_by_kind': {
    vars: { __rate_interval: '5m' },
    check: (rows) =>
      closeAll(byLabel(rows, 'audit_failure_kind'), { 'signing.key_missing': 3, 'sanitize.truncated': 5 }),
  },
  'integrity.integrity_failures': { check: (rows) => expect(single(rows)).to.be.closeTo(3, 1e-9) },
  'alert.error_burst': { check: () => undefined }, // evaluated over the whole timeline below
  'alert.p95_latency': {
    check: (rows, d) => {
      quantileCheck(0.95)(rows, d);
      const got = byLabel(rows, 'orchestrator_operation');
      expect(got.enrich).to.be.below(2); // under the default 2 s SLO
      expect(got.crm_sync).to.be.above(2); // above it: the rule fires for crm_sync only
    },
  },
  'alert.workflow_silent': { check: () => undefined }, // evaluated at two times below
  'alert.integrity_failures': { check: (rows) => expect(single(rows)).to.be.closeTo(3, 1e-9) },
};

describe('@e2e Grafana dashboard and alert PromQL on the real Prometheus (seeded data)', function () {
  this.timeout(90_000);
  const job = `e2e-queries-${randomBytes(4).toString('hex')}`;
  // B: whole minute 40 min ago (older samples than the head's newest are accepted up to 1 h back)
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 40 * 60_000;
  const end = new Date(base + STEPS * STEP_MS);
  let prom: PrometheusClient;
  let durations: SeedDurations;
  const queries = allQueries().filter((q) => q.kind === 'promql');
  const exprOf = (id: string, vars: Readonly<Record<string, string>> = {}): string => {
    const query = queries.find((q) => q.id === id);
    if (!query) throw new Error(`no PromQL query ${id} in grafana/src/queries.ts`);
    const expr = substituteVariables(query.expr, { service: job, ...vars });
    return query.source === 'alert' ? scopedToJob(expr, job) : expr;
  };

  before(async () => {
    const env = stackEnv();
    await assertReachable('Prometheus', `${env.prometheusUrl}/-/ready`);
    prom = new PrometheusClient({ url: env.prometheusUrl });
    durations = await seedPrometheus(env.prometheusUrl, job, base);
  });

  it('has an expectation for every PromQL query of the dashboards and alert rules', () => {
    expect(queries.length).to.be.greaterThan(20);
    expect(queries.map((q) => q.id).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
  });

  it('every PromQL query returns the expected value at the end of the seeded timeline', async () => {
    const failures: string[] = [];
    for (const q of queries) {
      const exp = EXPECTED[q.id];
      if (!exp) continue; // reported by the test above
      const expr = exprOf(q.id, exp.vars);
      try {
        const rows = (await prom.instant(expr, end)).filter((r) => r.labels.job === undefined || r.labels.job === job);
        exp.check(rows, durations);
      } catch (err) {
        failures.push(`${q.id}: ${expr}\n    ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('error-burst expression crosses its threshold at 10 errors in 5 minutes, not at 9', async () => {
    const series = await prom.range(exprOf('alert.error_burst'), new Date(base), end, STEP_MS / 1000);
    expect(series).to.have.length(1);
    const at = (step: number): number => {
      const p = series[0]?.points.find((x) => Math.round(x.time * 1000) === base + step * STEP_MS);
      return p?.value ?? Number.NaN;
    };
    const before10 = (series[0]?.points ?? [])
      .filter((p) => p.time * 1000 < base + ERROR_STEPS.burst10 * STEP_MS)
      .map((p) => p.value);
    expect(Math.max(...before10), 'highest value before the burst of 10 (single error, then a burst of 9)').to.equal(9);
    expect(at(ERROR_STEPS.burst9), 'right after the burst of 9').to.equal(9);
    expect(at(ERROR_STEPS.burst9) >= 10, 'burst of 9 fires').to.equal(false);
    for (let s = ERROR_STEPS.burst10; s < ERROR_STEPS.burst10 + 19; s++) {
      expect(at(s), `step ${s}: within 5 min of the burst of 10`).to.be.at.least(10).and.at.most(11);
    }
  });

  it('workflow-silent expression: quiet while events flow, fires after 15 minutes of silence', async () => {
    const rowsFor = async (t: Date): Promise<PromSample[]> =>
      (await prom.instant(exprOf('alert.workflow_silent'), t)).filter((r) => r.labels.job === job);
    expect(await rowsFor(end)).to.have.length(0);
    const silent = await rowsFor(new Date(end.getTime() + 16 * 60_000));
    expect(silent.map((r) => r.labels.orchestrator_workflow)).to.deep.equal(['sales']);
  });
});
