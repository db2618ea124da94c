/**
 * Per-call overhead of auto-instrumentation: the same step function called plainly, with the
 * hand-written audit calls of examples/audited-steps.ts (`track()` + helper), through
 * `instrument()` with the equivalent spec, and through `instrument()` with an empty spec (span and
 * bookkeeping only, no records); the hand variant also runs inside a span, to split the cost of
 * trace ids on the signed records from the wrapper's own. Full pipeline (PII redact → signing → batch → discarding
 * exporter), AsyncLocalStorage context and a recording tracer, as `register` sets up.
 *
 *   npm run build && node dist/bench/instrumentation.js [calls=20000]
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { instrument } from '../src/instrumentation/instrument.js';
import { createAuditLogger } from '../src/logger/default-logger.js';
import { measure, type Measurement } from './harness.js';
import { DiscardingExporter } from './variants.js';

/** One row of the overhead table. */
export interface OverheadRow extends Measurement {
  /** p50 minus the plain call's p50, microseconds. */
  readonly overheadP50Us: number;
}

interface Lead {
  readonly id: string;
  readonly score: number;
  readonly email: string;
}

function qualifyLead(lead: Lead): { qualified: boolean; reason: string } {
  return { qualified: lead.score >= 50, reason: `score ${lead.score}` };
}

/** Measures `calls` calls per variant and returns the rows (plain first). */
export async function measureInstrumentationOverhead(calls = 20_000): Promise<OverheadRow[]> {
  const installed = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracer = new BasicTracerProvider().getTracer('bench');
  const exporter = new DiscardingExporter();
  const audit = createAuditLogger({
    signingKey: randomBytes(32),
    pii: { enabled: true, mode: 'redact' },
    processors: [new BatchLogRecordProcessor({ exporter })],
    env: {},
    sealIntervalMs: 0,
  });
  const leads: Lead[] = Array.from({ length: 1024 }, (_, i) => ({
    id: `LEAD-${i}`,
    score: i % 100,
    email: `lead${i}@example.com`,
  }));
  const lead = (i: number): Lead => leads[i % leads.length] as Lead;

  const spec = {
    event: 'lead_qualified',
    leadId: 'args.0.id',
    fields: { qualified: 'result.qualified', reason: 'result.reason' },
    operation: 'lead.qualify',
  } as const;
  const full = instrument({ qualifyLead }, { qualifyLead: spec }, { audit, tracer, workflow: 'sales' });
  const bare = instrument({ qualifyLead }, { qualifyLead: {} }, { audit, tracer, workflow: 'sales' });
  const settle = (): Promise<void> => audit.forceFlush();
  let sink = 0;
  const rows: Measurement[] = [];
  rows.push(await measure('plain call', (i) => (sink += qualifyLead(lead(i)).reason.length), calls));
  rows.push(
    await measure('instrument(), empty spec', (i) => (sink += bare.qualifyLead(lead(i)).reason.length), calls, settle),
  );
  rows.push(
    await measure(
      'hand: track()+helper',
      (i) => {
        const l = lead(i);
        const q = audit.track('lead.qualify', () => qualifyLead(l), 'sales');
        audit.logLeadQualified(l.id, q.qualified, q.reason, 'sales');
        sink += q.reason.length;
      },
      calls,
      settle,
    ),
  );
  rows.push(
    await measure(
      'hand, inside a span',
      (i) => {
        const l = lead(i);
        tracer.startActiveSpan('lead.qualify', (span) => {
          const q = audit.track('lead.qualify', () => qualifyLead(l), 'sales');
          audit.logLeadQualified(l.id, q.qualified, q.reason, 'sales');
          sink += q.reason.length;
          span.end();
        });
      },
      calls,
      settle,
    ),
  );
  rows.push(
    await measure('instrument(), full spec', (i) => (sink += full.qualifyLead(lead(i)).reason.length), calls, settle),
  );
  await audit.shutdown();
  if (installed) context.disable();
  trace.disable();
  if (sink < 0) console.log(sink);
  const base = rows[0]!.p50Us;
  return rows.map((r) => ({ ...r, overheadP50Us: r.p50Us - base }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const calls = Number(process.argv[2] ?? '20000');
  const rows = await measureInstrumentationOverhead(calls);
  const f = (n: number, d = 2): string =>
    n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`instrumentation overhead — ${calls} calls per variant, node ${process.version}`);
  console.log('variant                     calls/s      p50 µs   p99 µs   p50 overhead µs');
  for (const r of rows)
    console.log(
      `${r.name.padEnd(26)} ${f(r.eventsPerSec, 0).padStart(10)} ${f(r.p50Us).padStart(10)} ${f(r.p99Us).padStart(8)} ${f(r.overheadP50Us).padStart(16)}`,
    );
}
