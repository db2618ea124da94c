/**
 * Cost of public-key seals against today's HMAC-per-record signing, in one run: the signing
 * processor alone (a real LoggerProvider with the signer and a no-op sink), the same lead records,
 * two key setups side by side:
 * - `hmac`: HMAC-SHA256 per record (the default whenever an HMAC key is set);
 * - `ed25519`: a sealing key: a SHA-256 hash per record, an Ed25519 signature per seal.
 * Per record: CPU µs of `emit` with no seals in between. Per seal: CPU µs of `seal()` (each seal is
 * a record signed in its mode: HMAC, or Ed25519 under the current epoch key). The setups alternate
 * for BENCH_SEAL_ROUNDS rounds (default 5) and each figure is the median, so load from elsewhere
 * moves a round, not the result. Usage: `node dist/bench/seals.js [records] [seals]`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../src/events/diagnostics.js';
import { keyringOf } from '../src/processors/signing/keys.js';
import { generateSealKeys, loadSealKeyFile } from '../src/processors/signing/seal-key.js';
import { SigningProcessor } from '../src/processors/signing/signing-processor.js';
import { median } from './stats.js';
import { generateLeads, leadIngestedRecord } from './workload.js';

type Setup = 'hmac' | 'ed25519';
const SETUPS: readonly Setup[] = ['hmac', 'ed25519'];
const records = Number(process.argv[2] ?? '20000');
const seals = Number(process.argv[3] ?? '2000');
const rounds = Math.max(1, Number(process.env.BENCH_SEAL_ROUNDS ?? '5'));
const leads = generateLeads(1000);
const dir = mkdtempSync(path.join(tmpdir(), 'bench-seals-'));
const keyFile = generateSealKeys(dir).keyFile;
const secret = randomBytes(32);

class NoopSink implements LogRecordProcessor {
  onEmit(): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** CPU µs per operation of `n` calls of `op`. */
function cpuPer(n: number, op: (i: number) => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) op(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

function measureSetup(setup: Setup): { record: number; seal: number } {
  const signer = new SigningProcessor({
    env: {},
    sealIntervalMs: 0,
    sealEveryRecords: 0,
    diagnostics: new AuditDiagnostics(),
    // the sealing state is loaded without its file, so the bench does not rewrite it
    ...(setup === 'hmac'
      ? { keyring: keyringOf({ k1: secret }) }
      : { sealKey: loadSealKeyFile(keyFile), sealEpochMs: 0 }),
  });
  const provider = new LoggerProvider({ processors: [signer, new NoopSink()] });
  signer.bindProvider(provider);
  const logger = provider.getLogger('bench');
  const emit = (i: number): void => {
    const l = leads[i % leads.length]!;
    logger.emit(leadIngestedRecord(l));
  };
  cpuPer(2000, emit); // warm-up
  const record = cpuPer(records, emit);
  const seal = cpuPer(seals, () => signer.seal('bench'));
  void provider.shutdown();
  return { record, seal };
}

const results = new Map<Setup, { record: number[]; seal: number[] }>(SETUPS.map((s) => [s, { record: [], seal: [] }]));
for (let round = 0; round < rounds; round++) {
  for (const setup of SETUPS) {
    const r = measureSetup(setup);
    results.get(setup)!.record.push(r.record);
    results.get(setup)!.seal.push(r.seal);
  }
}
rmSync(dir, { recursive: true, force: true });

const hmac = results.get('hmac')!;
console.log(
  `\nPublic-key seals vs HMAC per record (signing processor alone, ${records} records and ${seals} seals per setup, median of ${rounds} interleaved rounds, CPU µs):`,
);
console.log('setup     per record   per seal   record vs hmac   seal vs hmac');
for (const setup of SETUPS) {
  const r = results.get(setup)!;
  const rec = median(r.record);
  const seal = median(r.seal);
  console.log(
    `${setup.padEnd(9)} ${rec.toFixed(2).padStart(10)} ${seal.toFixed(2).padStart(10)} ${(rec / median(hmac.record)).toFixed(2).padStart(15)}× ${(seal / median(hmac.seal)).toFixed(2).padStart(13)}×`,
  );
}
