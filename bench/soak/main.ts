/**
 * `node dist/bench/soak/main.js [seconds] [rate] [kills]` (as root, after `npm run build`): the
 * journal fault-injection soak (see journal-soak.ts) with its figures printed. Defaults: 60 s at
 * 5,000 events/s, 10 SIGKILLs of the writer, 2 ENOSPC episodes of 1.5 s on a 64 MiB tmpfs.
 * `--collector`: the writer also exports over OTLP to the real collector (started on the ports of
 * AUDIT_TEST_*_PORT / AUDIT_STACK_RUN, killed with SIGKILL and restarted once) in front of the
 * loopback Loki stand-in, whose records must equal the journal's.
 * Exit 0 when every bound held, 1 otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runSoak, type SoakFigures } from './journal-soak.js';
import { startSoakCollector } from './soak-collector.js';

const args = process.argv.slice(2).filter((a) => a !== '--collector');
const withCollector = process.argv.includes('--collector');
const [secondsArg, rateArg, killsArg] = args;
const collector = withCollector ? await startSoakCollector() : undefined;
const dir = await mkdtemp(path.join(os.tmpdir(), 'journal-soak-'));
const command = `node dist/bench/soak/main.js ${secondsArg ?? 60} ${rateArg ?? 5000} ${killsArg ?? 10}${withCollector ? ' --collector' : ''}`;
let figures: SoakFigures;
try {
  figures = await runSoak({
    dir,
    durationMs: Number(secondsArg ?? 60) * 1000,
    rate: Number(rateArg ?? 5000),
    kills: Number(killsArg ?? 10),
    enospcEpisodes: 2,
    enospcMs: 1500,
    tmpfsMiB: 64,
    flushIntervalMs: 200,
    maxBufferBytes: 256 * 1024,
    log: (line) => console.log(`  ${line}`),
    ...(collector ? { collector } : {}),
  });
} finally {
  await collector?.stop();
  await rm(dir, { recursive: true, force: true });
}
console.log(`\n${command}`);
console.log(
  `duration ${figures.seconds.toFixed(1)} s, ${figures.eventsOnDisk} events on disk (${figures.eventsPerSecond}/s over the whole run, restarts included)`,
);
console.log(
  `kill -9 of the writer: ${figures.kills.length}; lost per kill (events reported emitted, not on disk): ${figures.kills.map((k) => k.lostAtLeast).join(', ')}`,
);
console.log(`  every kill within the flush-interval bound: ${figures.kills.every((k) => k.withinBound)}`);
console.log(
  `ENOSPC episodes: ${figures.enospcEpisodes}; loss records: ${figures.lossRecords}, declaring ${figures.recordsDeclaredLost} record(s) lost`,
);
console.log(
  `torn lines: ${figures.tornLines}; verifier: ${figures.report.status} (exit ${figures.report.exitCode}), findings ${JSON.stringify(figures.report.countsByClass)}, streams ${figures.report.streamStatuses.join(' ')}`,
);
if (figures.collector) console.log(`OTLP receiver: ${JSON.stringify(figures.collector)}`);
if (figures.failures.length > 0) {
  console.log(`\nFAILED:\n${figures.failures.join('\n')}`);
  process.exitCode = 1;
} else console.log('\nall bounds held');
