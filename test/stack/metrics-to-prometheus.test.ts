/**
 * @e2e Metrics through the real collector into the real Prometheus (OTLP ingestion, native
 * histograms), both built from Go modules and started by scripts/stack/start.sh: counter values
 * equal what was emitted, and p95 read from the native histogram is within the documented 2% of
 * the exact p95 of the raw durations (seeded workload). A fresh process's error burst reaches the
 * provisioned Grafana error-burst rule: Prometheus has a zero at each series' start time, so
 * increase() counts the burst (10 errors fire the rule, 9 do not).
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { quantileSorted } from '../../src/query/journal/percentiles.js';
import { PrometheusClient } from '../../src/query/prometheus/prometheus-client.js';
import { PrometheusQuerySource } from '../../src/query/prometheus/prometheus-query-source.js';
import { readYaml } from '../grafana/repo-files.js';
import { assertReachable, stackEnv, type StackEnv } from './stack-env.js';
import { seededRandom } from '../../bench/workload.js';

/** Polls `fn` every 500 ms until it returns a value; throws after `timeoutMs`. */
async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Raw samples `[seconds, value]` of the series selected by `selector` over the last 10 minutes (one series expected). */
async function rawSamples(prometheusUrl: string, selector: string): Promise<[number, number][]> {
  const url = new URL('/api/v1/query', prometheusUrl);
  url.searchParams.set('query', `${selector}[10m]`);
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
    data?: { result?: { values?: [number, string][] }[] };
  };
  const result = body.data?.result ?? [];
  if (result.length > 1) throw new Error(`${selector}: ${result.length} series, expected one`);
  return (result[0]?.values ?? []).map(([t, v]) => [Number(t), Number(v)]);
}

/** The provisioned error-burst rule (grafana/provisioning/alerting/rules.yaml): query A's PromQL and the condition's threshold. */
function errorBurstRule(): { expr: string; above: number } {
  interface Query {
    refId: string;
    model: { expr?: string; conditions?: { evaluator: { type: string; params: number[] } }[] };
  }
  const doc = readYaml('grafana/provisioning/alerting/rules.yaml') as {
    groups: { rules: { uid: string; condition: string; data: Query[] }[] }[];
  };
  const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.uid === 'audit-error-burst');
  const expr = rule?.data.find((d) => d.refId === 'A')?.model.expr;
  const evaluator = rule?.data.find((d) => d.refId === rule.condition)?.model.conditions?.[0]?.evaluator;
  if (!expr || evaluator?.type !== 'gt' || typeof evaluator.params[0] !== 'number')
    throw new Error('audit-error-burst: unexpected rule shape');
  return { expr, above: evaluator.params[0] };
}

/** `expr` with `job="<job>"` added to each orchestrator metric selector (the rule selects every job). */
function scopedToJob(expr: string, job: string): string {
  return expr
    .replace(/\b(orchestrator_[a-z_]+)\{/g, `$1{job="${job}", `)
    .replace(/\b(orchestrator_[a-z_]+)\[/g, `$1{job="${job}"}[`);
}

/** A fresh signed AuditLogger of `service` exporting to the test collector every second (no seals). */
function exportingLogger(service: string, collectorOtlpUrl: string): AuditLogger {
  return createAuditLogger({
    signingKey: randomBytes(32).toString('base64'),
    serviceName: service,
    otlp: { endpoint: collectorOtlpUrl, metricIntervalMs: 1000 },
    sealIntervalMs: 0,
    sealEveryRecords: 0,
  });
}

/** Documented accuracy of p50/p95/p99 from the native histogram (docs/stack.md). */
const QUANTILE_TOLERANCE = 0.02;

describe('@e2e metrics: SDK → real collector → real Prometheus (OTLP, native histograms)', function () {
  this.timeout(90_000);
  let env: StackEnv;
  let prom: PrometheusClient;

  before(async () => {
    env = stackEnv();
    await assertReachable('collector health check', env.collectorHealthUrl);
    await assertReachable('Prometheus', `${env.prometheusUrl}/-/ready`);
    prom = new PrometheusClient({ url: env.prometheusUrl });
  });

  it('event/error counters equal what was emitted; p95 from the native histogram is within 2% of the exact p95', async () => {
    const service = `e2e-metrics-${randomBytes(4).toString('hex')}`;
    const logger = exportingLogger(service, env.collectorOtlpUrl);
    const rand = seededRandom(20261126);
    const durations: number[] = [];
    for (let i = 0; i < 40; i++) logger.logLeadIngested(`L-${i}`, 'web', { i }, 'sales');
    for (let i = 0; i < 9; i++) logger.logError('crm_timeout', `CRM timed out for L-${i}`, `L-${i}`, 'sales');
    for (let i = 0; i < 600; i++) {
      const seconds = 0.05 * Math.exp(rand() * Math.log(16)); // log-uniform 50 ms … 800 ms
      durations.push(seconds);
      logger.trackPerformance('enrich', seconds, 'sales');
    }
    await logger.shutdown(); // final metric export
    const sel = `{job="${service}"}`;

    const byType = await eventually('the event counters in Prometheus', 30_000, async () => {
      const rows = await prom.instant(`sum by (orchestrator_event_type) (orchestrator_audit_events_total${sel})`);
      const counts = Object.fromEntries(rows.map((r) => [r.labels.orchestrator_event_type, r.value]));
      return counts.performance === 600 && counts.lead_ingested === 40 && counts.error === 9 ? counts : undefined;
    });
    expect(byType).to.deep.equal({ lead_ingested: 40, error: 9, performance: 600 });
    const errors = await prom.instant(
      `sum by (orchestrator_error_type, orchestrator_workflow) (orchestrator_audit_errors_total${sel})`,
    );
    expect(errors.map((r) => [r.labels, r.value])).to.deep.equal([
      [{ orchestrator_error_type: 'crm_timeout', orchestrator_workflow: 'sales' }, 9],
    ]);

    // stored as a native histogram (no classic _bucket series)
    const raw = await eventually('the duration histogram', 30_000, async () => {
      const rows = await prom.instant(`orchestrator_operation_duration_seconds${sel}`);
      return rows[0]?.histogram?.count === 600 ? rows : undefined;
    });
    expect(raw).to.have.length(1);
    expect(raw[0]?.labels.orchestrator_operation).to.equal('enrich');
    expect(raw[0]?.histogram?.sum).to.be.closeTo(
      durations.reduce((a, b) => a + b, 0),
      1e-6,
    );
    expect(await prom.instant(`orchestrator_operation_duration_seconds_bucket${sel}`)).to.have.length(0);

    const sorted = [...durations].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = quantileSorted(sorted, q);
      const rows = await prom.instant(
        `histogram_quantile(${q}, sum by (orchestrator_operation) (orchestrator_operation_duration_seconds${sel}))`,
      );
      const estimate = rows[0]?.value as number;
      expect(Math.abs(estimate - exact) / exact, `p${q * 100}: histogram ${estimate} vs exact ${exact}`).to.be.at.most(
        QUANTILE_TOLERANCE,
      );
    }

    // The query source used by `audit-cli --source prometheus` (increase over a window).
    const source = new PrometheusQuerySource({ url: env.prometheusUrl, matchers: `job="${service}"`, window: '10m' });
    const perf = await source.getPerformanceStats('enrich');
    const enrich = perf.enrich;
    expect(enrich, JSON.stringify(perf)).to.not.equal(undefined);
    const exact95 = quantileSorted(sorted, 0.95);
    expect(Math.abs((enrich?.p95 as number) - exact95) / exact95).to.be.at.most(QUANTILE_TOLERANCE);
    expect(enrich?.avg).to.be.closeTo((raw[0]?.histogram?.sum as number) / 600, 1e-6);
    // increase() extrapolates towards the window end by up to half the sample interval: on a series
    // only ~2 s old (1 s exports) that is up to 1.5× (documented in docs/stack.md); never fewer.
    expect(enrich?.count).to.be.within(600, 900);
    expect(enrich?.min).to.be.at.most(sorted[0] as number);
    expect(enrich?.max).to.be.at.least(sorted[599] as number);
    // getStatistics() is increase()-based too: Prometheus has a zero at each counter's start time
    // (the process's first event of that series), so the counts include everything this ~2 s old
    // process emitted, extrapolated like the histogram count above (never fewer).
    const stats = await source.getStatistics();
    expect(stats.errors, JSON.stringify(stats)).to.be.within(9, 14);
    expect(stats.byType.lead_ingested, JSON.stringify(stats)).to.be.within(40, 60);
    expect(stats.byType.performance, JSON.stringify(stats)).to.be.within(600, 900);
  });

  // A fresh process logs a burst right after start; its periodic export (1 s) carries the burst.
  // The rule is evaluated at the burst's first sample, the instant the data reaches Prometheus, and
  // again at query time: the anchored increase() spans the start-time zero and the samples exactly.
  for (const [n, fires] of [
    [10, true],
    [9, false],
  ] as const) {
    it(`a fresh process logging ${n} errors ${fires ? 'fires' : 'does not fire'} the provisioned error-burst rule`, async () => {
      const { expr, above } = errorBurstRule();
      const service = `e2e-burst-${n}-${randomBytes(4).toString('hex')}`;
      const logger = exportingLogger(service, env.collectorOtlpUrl);
      try {
        const before = Date.now();
        for (let i = 0; i < n; i++) logger.logError('crm_timeout', `CRM timed out for L-${i}`, `L-${i}`, 'sales');
        const after = Date.now();
        const selector = `orchestrator_audit_errors_total{job="${service}"}`;
        const samples = await eventually('the burst in Prometheus', 30_000, async () => {
          const s = await rawSamples(env.prometheusUrl, selector);
          return s.some(([, v]) => v === n) ? s : undefined;
        });
        // the zero Prometheus wrote at the series' start time, the first error's time
        const [zeroAt, zero] = samples[0] as [number, number];
        expect(zero, JSON.stringify(samples)).to.equal(0);
        expect(zeroAt * 1000).to.be.within(before, after);
        const [burstAt] = samples.find(([, v]) => v === n) as [number, number];
        expect(burstAt).to.be.greaterThan(zeroAt);

        const scoped = scopedToJob(expr, service);
        const atBurst = await prom.instant(scoped, new Date(burstAt * 1000));
        expect(
          atBurst.map((r) => r.value),
          scoped,
        ).to.deep.equal([n]);
        expect(n > above, `${n} > ${above}`).to.equal(fires);
        // the rule uses `increase(…[5m] anchored)`, which does not extrapolate past the samples: it
        // reads exactly n at any later evaluation in the window too (9 never creeps over the threshold)
        const now = await prom.instant(scoped);
        expect(
          now.map((r) => r.value),
          scoped,
        ).to.deep.equal([n]);
        expect((now[0]?.value ?? 0) > above, `${n} > ${above} at query time`).to.equal(fires);
      } finally {
        await logger.shutdown();
      }
    });
  }
});
