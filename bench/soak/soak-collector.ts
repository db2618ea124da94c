/**
 * The soak's collector: the real OpenTelemetry Collector built by scripts/stack/build.sh, started
 * with scripts/stack/start.sh on the ports of the environment (AUDIT_TEST_*_PORT, AUDIT_STACK_RUN),
 * delivering to the loopback Loki stand-in (test/stack/otlp-log-receiver.ts). Killed with SIGKILL
 * and restarted on its persistent queue.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ATTR } from '../../src/events/semconv.js';
import { OtlpLogReceiver } from '../../test/stack/otlp-log-receiver.js';
import type { SoakCollector } from './journal-soak.js';

const run = promisify(execFile);
const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/stack');

/** Starts the stand-in and the collector; `stop()` ends both. */
export async function startSoakCollector(): Promise<SoakCollector & { stop(): Promise<void> }> {
  const receiverPort = Number(process.env.AUDIT_TEST_LOG_RECEIVER_PORT ?? 13100);
  const httpPort = Number(process.env.AUDIT_TEST_COLLECTOR_HTTP_PORT ?? 14318);
  const runDir = process.env.AUDIT_STACK_RUN;
  if (!runDir) throw new Error('set AUDIT_STACK_RUN (and the AUDIT_TEST_*_PORT variables) for the soak collector');
  const receiver = new OtlpLogReceiver(receiverPort);
  await receiver.start();
  const start = (...args: string[]): Promise<unknown> =>
    run('bash', [path.join(SCRIPTS, 'start.sh'), '--only', 'collector', ...args], { timeout: 90_000 });
  await start();
  const pid = (): number => Number(readFileSync(path.join(runDir, 'collector.pid'), 'utf8').trim());
  return {
    endpoint: `http://127.0.0.1:${httpPort}`,
    async kill() {
      const p = pid();
      process.kill(p, 'SIGKILL');
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(p, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async restart() {
      await start('--keep-state');
    },
    async drain() {
      let last = -1;
      for (let i = 0; i < 40 && receiver.logs.length !== last; i++) {
        last = receiver.logs.length;
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
    received() {
      return receiver.logs
        .filter((l) => l.attributes[ATTR.stream] !== undefined)
        .map((l) => ({
          stream: l.attributes[ATTR.stream] as string,
          seq: Number(l.attributes[ATTR.seq]),
          sig: l.attributes[ATTR.sig] as string,
        }));
    },
    async stop() {
      await run('bash', [path.join(SCRIPTS, 'stop.sh'), '--only', 'collector'], { timeout: 60_000 }).catch(
        () => undefined,
      );
      await receiver.stop();
    },
  };
}
