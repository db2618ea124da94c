/**
 * Micro-benchmark of the PII processor (not a test): cost per typical lead record of
 * `logger.emit` through a real LoggerProvider with and without the PiiAnonymizingProcessor, per
 * mode, plus the scan alone on a record without PII.
 * Run: `npx tsc -p tsconfig.json && node dist/test/pii/measure-pii.js`
 */
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';

/** Does nothing: makes the SDK do its full per-record work, as a baseline. */
const noop: LogRecordProcessor = { onEmit: () => {}, forceFlush: async () => {}, shutdown: async () => {} };
import { PiiAnonymizingProcessor } from '../../src/processors/pii/index.js';
import type { PiiMode } from '../../src/processors/pii/index.js';

const N = 200_000;

function record(i: number, withPii: boolean): Record<string, unknown> {
  return {
    'orchestrator.event.type': 'lead_ingested',
    'orchestrator.lead.id': `LEAD-${String(i).padStart(6, '0')}`,
    'orchestrator.workflow': 'inbound-sales',
    'orchestrator.lead.source': 'web_form',
    'orchestrator.lead.data': withPii
      ? {
          name: 'Jane Doe',
          email: `jane.doe${i % 500}@example.com`,
          phone: '+1 415 555 0100',
          company: 'Acme Corp',
          amount: 1234.56,
        }
      : { company: 'Acme Corp', plan: 'enterprise', amount: 1234.56, seats: 40, region: 'emea' },
    'orchestrator.route.destination': 'sales-team-emea',
    'orchestrator.crm.type': 'hubspot',
    'orchestrator.lead.qualified': true,
    'orchestrator.operation': 'ingest',
    'orchestrator.duration_s': 0.0123,
  };
}

function run(label: string, processors: LogRecordProcessor[], withPii: boolean): number {
  const provider = new LoggerProvider({ processors });
  const logger = provider.getLogger('bench');
  const records = Array.from({ length: 1000 }, (_, i) => record(i, withPii));
  const emit = (i: number): void =>
    logger.emit({
      eventName: 'orchestrator.lead.ingested',
      body: `Lead LEAD-${String(i).padStart(6, '0')} ingested from web_form at 2026-11-26T18:56:08.123Z`,
      attributes: records[i % 1000] as never,
    });
  for (let i = 0; i < 20_000; i++) emit(i);
  // CPU time of this process, not wall time: the machine is shared and heavily loaded
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) emit(i);
  const used = process.cpuUsage(start);
  const ns = ((used.user + used.system) * 1000) / N;
  console.log(
    `${label.padEnd(44)} ${(ns / 1000).toFixed(2)} µs CPU/record  (${Math.round(1e9 / ns).toLocaleString('en')} records/s of CPU)`,
  );
  return ns;
}

const base = run('emit, no-op processor (PII record)', [noop], true);
for (const mode of ['redact', 'mask', 'pseudonymize'] as PiiMode[]) {
  const ns = run(`emit + PII ${mode} (PII record)`, [new PiiAnonymizingProcessor({ mode, key: 'bench-key' })], true);
  console.log(`  → PII processor cost ${((ns - base) / 1000).toFixed(2)} µs/record`);
}
const cleanBase = run('emit, no-op processor (no-PII record)', [noop], false);
const clean = run('emit + PII redact (no-PII record)', [new PiiAnonymizingProcessor()], false);
console.log(`  → PII processor cost ${((clean - cleanBase) / 1000).toFixed(2)} µs/record`);
