/**
 * A seeded metrics data set for the e2e query tests, pushed to the real Prometheus through its OTLP
 * receiver (`/api/v1/otlp/v1/metrics`, OTLP/JSON — the same ingestion path the collector uses) with
 * explicit timestamps in the past, so every dashboard and alert query has an exactly known value.
 *
 * Timeline (B = base time, one cumulative point every 15 s from B to E = B + 20 min, 81 points;
 * service.name = job, service.instance.id = `seed-1`):
 *   events  lead_ingested/sales +4 per step, lead_qualified/sales +3, lead_routed/sales +2,
 *           crm_create/sales +1, email_sent/nurture +1, workflow_started/sales 1 from B+15 s.
 *   errors  crm_timeout/sales: 0; 1 from B+2m15s (one error); 10 from B+8m15s (a burst of 9);
 *           20 from B+14m15s (a burst of 10). The bursts are 6 min apart, so a 5 min window holds one.
 *   duration (exponential histogram, scale 6) per step: 200 enrich samples (log-uniform 50–800 ms),
 *           50 crm_sync samples (log-uniform 2.5–4 s); identical every step.
 *   failures signing.key_missing 0 → 3 and sanitize.truncated 0 → 5 at B+18m.
 *   seals   periodic +1 per step.
 */
import { seededRandom } from '../../bench/workload.js';

/** Step between points, ms. */
export const STEP_MS = 15_000;
/** Number of steps after B (E = B + STEPS × 15 s). */
export const STEPS = 80;
/** Exponential histogram scale of the seeded durations (bucket ratio 2^(1/64)). */
export const SEED_SCALE = 6;

/** Steps at which the seeded errors happen. */
export const ERROR_STEPS = { single: 9, burst9: 33, burst10: 57 } as const;

/** The raw per-step durations of each operation. */
export interface SeedDurations {
  readonly enrich: readonly number[];
  readonly crm_sync: readonly number[];
}

/** The seeded per-step durations. */
export function seedDurations(): SeedDurations {
  const rand = seededRandom(7);
  const logUniform = (lo: number, hi: number): number => lo * Math.exp(rand() * Math.log(hi / lo));
  return {
    enrich: Array.from({ length: 200 }, () => logUniform(0.05, 0.8)),
    crm_sync: Array.from({ length: 50 }, () => logUniform(2.5, 4)),
  };
}

type Attr = { key: string; value: { stringValue: string } };
const attrs = (o: Record<string, string>): Attr[] =>
  Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));
const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();

/** Cumulative value of each counter series at step k (0…STEPS). */
function counterPoints(k: number): { metric: string; unit: string; labels: Record<string, string>; value: number }[] {
  const ev = (type: string, workflow: string, value: number) => ({
    metric: 'orchestrator.audit.events',
    unit: '{event}',
    labels: { 'orchestrator.event.type': type, 'orchestrator.workflow': workflow },
    value,
  });
  const errors = k >= ERROR_STEPS.burst10 ? 20 : k >= ERROR_STEPS.burst9 ? 10 : k >= ERROR_STEPS.single ? 1 : 0;
  const failuresOn = k >= 72; // B+18m
  return [
    ev('lead_ingested', 'sales', 4 * k),
    ev('lead_qualified', 'sales', 3 * k),
    ev('lead_routed', 'sales', 2 * k),
    ev('crm_create', 'sales', k),
    ev('email_sent', 'nurture', k),
    ev('workflow_started', 'sales', k >= 1 ? 1 : 0),
    {
      metric: 'orchestrator.audit.errors',
      unit: '{error}',
      labels: { 'orchestrator.error.type': 'crm_timeout', 'orchestrator.workflow': 'sales' },
      value: errors,
    },
    {
      metric: 'orchestrator.audit.failures',
      unit: '{failure}',
      labels: { 'audit.failure.kind': 'signing.key_missing' },
      value: failuresOn ? 3 : 0,
    },
    {
      metric: 'orchestrator.audit.failures',
      unit: '{failure}',
      labels: { 'audit.failure.kind': 'sanitize.truncated' },
      value: failuresOn ? 5 : 0,
    },
    { metric: 'orchestrator.audit.seals', unit: '{seal}', labels: { 'audit.seal.reason': 'periodic' }, value: k },
  ];
}

/** OTLP exponential-histogram buckets (positive range) of `values` at `scale`. */
export function exponentialBuckets(values: readonly number[], scale: number): { offset: number; counts: number[] } {
  const factor = 2 ** scale;
  const indexes = values.map((v) => Math.ceil(Math.log2(v) * factor) - 1);
  const min = Math.min(...indexes);
  const max = Math.max(...indexes);
  const counts = new Array<number>(max - min + 1).fill(0);
  for (const i of indexes) counts[i - min] = (counts[i - min] as number) + 1;
  return { offset: min, counts };
}

/** One OTLP/JSON export request holding every series' point at step k. */
function requestAt(job: string, baseMs: number, k: number, durations: SeedDurations): unknown {
  const t = ns(baseMs + k * STEP_MS);
  const start = ns(baseMs);
  const byMetric = new Map<string, { unit: string; points: unknown[] }>();
  for (const p of counterPoints(k)) {
    let m = byMetric.get(p.metric);
    if (!m) byMetric.set(p.metric, (m = { unit: p.unit, points: [] }));
    m.points.push({ attributes: attrs(p.labels), startTimeUnixNano: start, timeUnixNano: t, asDouble: p.value });
  }
  const metrics: unknown[] = [...byMetric.entries()].map(([name, m]) => ({
    name,
    unit: m.unit,
    sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: m.points },
  }));
  const histPoints = (['enrich', 'crm_sync'] as const).map((op) => {
    const values = durations[op];
    const { offset, counts } = exponentialBuckets(values, SEED_SCALE);
    const sum = values.reduce((a, b) => a + b, 0);
    return {
      attributes: attrs({ 'orchestrator.operation': op, 'orchestrator.workflow': 'sales' }),
      startTimeUnixNano: start,
      timeUnixNano: t,
      count: String(values.length * k),
      sum: sum * k,
      scale: SEED_SCALE,
      zeroCount: '0',
      positive: { offset, bucketCounts: counts.map((c) => String(c * k)) },
    };
  });
  metrics.push({
    name: 'orchestrator.operation.duration',
    unit: 's',
    exponentialHistogram: { aggregationTemporality: 2, dataPoints: histPoints },
  });
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs({ 'service.name': job, 'service.instance.id': 'seed-1' }) },
        scopeMetrics: [{ scope: { name: 'orchestrator-audit' }, metrics }],
      },
    ],
  };
}

/** Pushes the whole timeline to Prometheus's OTLP receiver; throws on any refused request. */
export async function seedPrometheus(prometheusUrl: string, job: string, baseMs: number): Promise<SeedDurations> {
  const durations = seedDurations();
  for (let k = 0; k <= STEPS; k++) {
    const res = await fetch(`${prometheusUrl}/api/v1/otlp/v1/metrics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(requestAt(job, baseMs, k, durations)),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Prometheus OTLP receiver refused step ${k}: ${res.status} ${text}`);
  }
  return durations;
}
