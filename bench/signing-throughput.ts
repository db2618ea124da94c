/**
 * Throughput of signing and verifying: events/s through a LoggerProvider with and without the
 * SigningProcessor (the same "lead ingested" records of the bench workload, emitted by plain OTel
 * code, so the signer takes its copy path; a no-op sink after it), then journal lines/s through
 * the ChainVerifier over the lines the signer produced. Rates by wall-clock time and per CPU-second
 * of this process (less distorted by other load). The two providers alternate for
 * BENCH_SIGNING_ROUNDS rounds (default 3) and each rate is the median, so load from elsewhere
 * moves a round, not the result.
 * Usage: `npm run build && node dist/bench/signing-throughput.js [records]` (default 200,000).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { LoggerProvider, type LogRecordProcessor, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../src/events/diagnostics.js';
import { signedPartsOf } from '../src/record/signed-log.js';
import { journalLineOf } from '../src/record/journal-line.js';
import { keyringOf } from '../src/processors/signing/keys.js';
import { SigningProcessor } from '../src/processors/signing/signing-processor.js';
import { ChainVerifier } from '../src/entry/verify.js';
import { median } from './stats.js';
import { generateLeads, leadIngestedRecord } from './workload.js';

const N = Number(process.argv[2] ?? 200_000);
const rounds = Math.max(1, Number(process.env.BENCH_SIGNING_ROUNDS ?? '3'));
const secret = randomBytes(32);
const leads = generateLeads(1000);

/** The sink after the signer: drops records, or keeps their journal lines for the verifier. */
class JournalLines implements LogRecordProcessor {
  readonly lines: string[] = [];
  constructor(private readonly keep = false) {}
  onEmit(log: ReadWriteLogRecord): void {
    if (!this.keep) return;
    const parts = signedPartsOf(log);
    if (parts) this.lines.push(journalLineOf(parts));
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Records per second by wall-clock time and per CPU-second of this process. */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

function timed(n: number, fn: () => void): Rate {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall: n / wall, cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

function signer(sealEveryRecords?: number): SigningProcessor {
  return new SigningProcessor({
    keyring: keyringOf({ k1: secret }),
    sealIntervalMs: 0,
    ...(sealEveryRecords !== undefined ? { sealEveryRecords } : {}),
    diagnostics: new AuditDiagnostics(),
  });
}

function run(processors: LogRecordProcessor[], n: number): Rate {
  const logger = new LoggerProvider({ processors }).getLogger('orchestrator-audit');
  return timed(n, () => {
    for (let i = 0; i < n; i++) logger.emit(leadIngestedRecord(leads[i % leads.length]!));
  });
}

const medianRate = (rates: readonly Rate[]): Rate => ({
  wall: median(rates.map((r) => r.wall)),
  cpu: median(rates.map((r) => r.cpu)),
});
const fmt = (r: Rate): string =>
  `${Math.round(r.wall).toLocaleString('en-US')}/s wall, ${Math.round(r.cpu).toLocaleString('en-US')}/s per CPU-second`;

// warm-up
run([new JournalLines()], 20_000);
run([signer(0)], 20_000);
const baseRounds: Rate[] = [];
const signedRounds: Rate[] = [];
for (let round = 0; round < rounds; round++) {
  baseRounds.push(run([new JournalLines()], N));
  signedRounds.push(run([signer(), new JournalLines()], N));
}
const base = medianRate(baseRounds);
const signed = medianRate(signedRounds);
const journal = new JournalLines(true);
run([signer(0), journal], N);
const verifier = new ChainVerifier(keyringOf({ k1: secret }));
let report: ReturnType<ChainVerifier['finish']> | undefined;
const verifying = timed(N, () => {
  journal.lines.forEach((line, i) => verifier.pushLine(line, `audit.log:${i + 1}`));
  report = verifier.finish();
});
console.log(`records: ${N}, rounds: ${rounds} (medians)`);
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
