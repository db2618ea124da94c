/**
 * CPU per record of the audit worker's emit step, in one process: the ring snapshots of
 * `logLeadIngested` calls (captured from a thread-mode logger) parsed and emitted into a pipeline
 * built as the worker builds it (PII on, signing, journal file), once as lean records and once
 * through the SDK logger, in alternating rounds. Prints one JSON line with the median process CPU
 * µs per record of each way. Usage: `node dist/bench/worker-emit.js [records] [rounds]`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuditLogger } from '../src/index.js';
import { buildPipeline, type AuditPipeline } from '../src/logger/pipeline.js';
import { leanEmitterOf, logRecordOf } from '../src/thread/lean-emitter.js';
import type { RecordSnapshot } from '../src/thread/protocol.js';
import { WorkerLink } from '../src/thread/worker-link.js';
import { generateLeads } from './workload.js';

const records = Number(process.argv[2] ?? '5000');
const rounds = Number(process.argv[3] ?? '7');
const dir = mkdtempSync(path.join(tmpdir(), 'worker-emit-'));
const key = randomBytes(32);

/** The ring entries of `records` lead calls, as the app thread writes them. */
async function snapshots(): Promise<string[]> {
  const texts: string[] = [];
  const push = WorkerLink.prototype.push;
  WorkerLink.prototype.push = function (this: WorkerLink, kind, text) {
    if (text.startsWith('[')) texts.push(text);
    return push.call(this, kind, text);
  };
  const audit = createAuditLogger({ signingKey: key, env: {}, thread: true });
  for (const l of generateLeads(records)) audit.logLeadIngested(l.leadId, l.source, l.data, l.workflow);
  await audit.shutdown();
  WorkerLink.prototype.push = push;
  return texts;
}

function pipelineAt(name: string): AuditPipeline {
  const pipeline = buildPipeline({ auditFile: path.join(dir, name), signingKey: key, env: {}, sealIntervalMs: 0 });
  pipeline.pii.setAnonymizing(true);
  return pipeline;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const texts = await snapshots();
const sdk = pipelineAt('sdk.log');
const leanPipeline = pipelineAt('lean.log');
const lean = leanEmitterOf(leanPipeline.logger);
if (!lean) throw new Error('the worker pipeline does not take lean records');
const ways = {
  sdk: (text: string) => sdk.logger.emit(logRecordOf(JSON.parse(text) as RecordSnapshot)),
  lean: (text: string) => {
    if (!lean.emit(JSON.parse(text) as RecordSnapshot, text)) throw new Error('snapshot not taken');
  },
};
const us: Record<keyof typeof ways, number[]> = { sdk: [], lean: [] };
for (let round = 0; round < rounds + 1; round++) {
  for (const way of round % 2 === 0 ? (['sdk', 'lean'] as const) : (['lean', 'sdk'] as const)) {
    const start = process.cpuUsage();
    for (const text of texts) ways[way](text);
    await (way === 'sdk' ? sdk : leanPipeline).loggerProvider.forceFlush();
    const used = process.cpuUsage(start);
    if (round > 0) us[way].push((used.user + used.system) / texts.length); // round 0 warms up
  }
}
await sdk.loggerProvider.shutdown();
await leanPipeline.loggerProvider.shutdown();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    node: process.version,
    records: texts.length,
    rounds,
    sdkCpuUs: median(us.sdk),
    leanCpuUs: median(us.lean),
    sdkRounds: us.sdk.map((x) => Math.round(x * 100) / 100),
    leanRounds: us.lean.map((x) => Math.round(x * 100) / 100),
  }),
);
