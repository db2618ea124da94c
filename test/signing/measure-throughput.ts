/**
 * Micro-measure (not a test): events/s through a LoggerProvider with and without the
 * SigningProcessor, and journal lines/s through the ChainVerifier.
 * Run: npx tsc -p tsconfig.json && node dist/test/signing/measure-throughput.js [records]
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { LoggerProvider, type LogRecordProcessor, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { ATTR, EVENT_NAMES } from '../../src/events/semconv.js';
import { signedPartsOf } from '../../src/record/signed-log.js';
import { journalLineOf } from '../../src/record/journal-line.js';
import { keyringOf } from '../../src/processors/signing/keys.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { ChainVerifier } from '../../src/entry/verify.js';

const N = Number(process.argv[2] ?? 200_000);
const secret = randomBytes(32);

class Collect implements LogRecordProcessor {
  lines: string[] = [];
  keep = false;
  onEmit(log: ReadWriteLogRecord): void {
    if (!this.keep) return;
    const parts = signedPartsOf(log);
    if (parts) this.lines.push(journalLineOf(parts));
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** events/s by wall-clock time and by this process's CPU time (less distorted by other load). */
interface Rate {
  wall: number;
  cpu: number;
}

function timed(n: number, fn: () => void): Rate {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall: n / wall, cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

function run(processors: LogRecordProcessor[], n: number): Rate {
  const provider = new LoggerProvider({ processors });
  const logger = provider.getLogger('orchestrator-audit');
  return timed(n, () => {
    for (let i = 0; i < n; i++) {
      logger.emit({
        eventName: EVENT_NAMES.lead_ingested,
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: `Lead LEAD-${i} ingested from webform`,
        attributes: {
          [ATTR.eventType]: 'lead_ingested',
          [ATTR.leadId]: `LEAD-${i}`,
          [ATTR.workflow]: 'lead-intake',
          [ATTR.leadSource]: 'webform',
          [ATTR.leadData]: {
            email: '[REDACTED:email]',
            company: 'Acme GmbH',
            score: 42.5,
            tags: ['b2b', 'eu'],
            budget: 12000,
          },
        },
      });
    }
  });
}

const fmt = (r: Rate): string =>
  `${Math.round(r.wall).toLocaleString('en-US')}/s wall, ${Math.round(r.cpu).toLocaleString('en-US')}/s per CPU-second`;
// warm-up
run([new Collect()], 20_000);
run(
  [
    new SigningProcessor({
      keyring: keyringOf({ k1: secret }),
      sealIntervalMs: 0,
      sealEveryRecords: 0,
      diagnostics: new AuditDiagnostics(),
    }),
  ],
  20_000,
);
const base = run([new Collect()], N);
const signer = new SigningProcessor({
  keyring: keyringOf({ k1: secret }),
  sealIntervalMs: 0,
  diagnostics: new AuditDiagnostics(),
});
const signed = run([signer, new Collect()], N);
const collect = new Collect();
collect.keep = true;
run(
  [
    new SigningProcessor({
      keyring: keyringOf({ k1: secret }),
      sealIntervalMs: 0,
      sealEveryRecords: 0,
      diagnostics: new AuditDiagnostics(),
    }),
    collect,
  ],
  N,
);
const verifier = new ChainVerifier(keyringOf({ k1: secret }));
let report: ReturnType<ChainVerifier['finish']> | undefined;
const verifying = timed(N, () => {
  collect.lines.forEach((line, i) => verifier.pushLine(line, `audit.log:${i + 1}`));
  report = verifier.finish();
});
console.log(`records: ${N}`);
console.log(
  `load average: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${os.availableParallelism()} cores`,
);
console.log(`provider.emit, no-op processor:   ${fmt(base)}`);
console.log(
  `provider.emit, SigningProcessor:  ${fmt(signed)}; signing ≈ ${(1e6 / signed.cpu - 1e6 / base.cpu).toFixed(2)} µs CPU/record`,
);
console.log(
  `ChainVerifier.pushLine:           ${fmt(verifying)}; status ${report?.status}, verified ${report?.recordsVerified}`,
);
console.log(`heap used: ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
