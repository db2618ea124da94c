/**
 * @e2e kill -9 of the real collector in the middle of a stream of log exports: every record the
 * collector acknowledged (HTTP 200 to the OTLP/HTTP request that carried it) reaches the log
 * endpoint after the collector is started again on its persistent queue. Records are acknowledged
 * only once written to the queue (no batch processor ahead of it), so a crash loses none; a
 * `batch` processor in the logs pipeline holds up to a second of acknowledged records in memory,
 * and this test fails with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { OtlpLogReceiver } from './otlp-log-receiver.js';
import { assertReachable, stackEnv, stackScript } from './stack-env.js';

const PER_REQUEST = 20;

/** One OTLP/HTTP JSON logs request of `ids`. */
function logsBody(service: string, ids: readonly string[]): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [
          {
            scope: { name: 'kill-test' },
            logRecords: ids.map((id) => ({
              timeUnixNano: String(now),
              body: { stringValue: `record ${id}` },
              attributes: [{ key: 'test.id', value: { stringValue: id } }],
            })),
          },
        ],
      },
    ],
  });
}

/** Pid of the running test collector (scripts/stack/start.sh writes it). */
function collectorPid(stackDir: string): number {
  const pid = Number(readFileSync(join(stackDir, 'collector.pid'), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`e2e: no collector pid in ${stackDir}/collector.pid`);
  return pid;
}

describe('@e2e collector kill -9: nothing acknowledged is lost (persistent queue, no in-memory batching ahead of it)', function () {
  this.timeout(90_000);
  const env = stackEnv();
  const receiver = new OtlpLogReceiver(env.logReceiverPort);

  before(async () => assertReachable('collector health check', env.collectorHealthUrl));
  after(async () => {
    await receiver.stop();
  });

  it('every acknowledged record arrives after kill -9 and a restart on the same queue', async () => {
    const service = `e2e-kill-${randomBytes(4).toString('hex')}`;
    const url = `${env.collectorOtlpUrl}/v1/logs`;
    const acknowledged = new Set<string>();
    const ackTimes: number[] = [];
    let next = 0;
    let stop = false;
    let refused = 0;

    // the log endpoint stays down until the restart: the persistent queue is the only place the
    // acknowledged records can be
    const sender = async (): Promise<void> => {
      while (!stop) {
        const ids = Array.from({ length: PER_REQUEST }, () => `${service}-${next++}`);
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: logsBody(service, ids),
            signal: AbortSignal.timeout(5000),
          });
          await res.arrayBuffer();
          if (res.ok) {
            for (const id of ids) acknowledged.add(id);
            ackTimes.push(Date.now());
          } else refused++;
        } catch {
          refused++; // not acknowledged: the sender would retry it
        }
      }
    };
    const senders = [sender(), sender(), sender()];
    // kill once the stream is well under way (at least 20 acknowledged requests), however fast the machine
    const deadline = Date.now() + 20_000;
    while (ackTimes.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const pid = collectorPid(env.stackDir);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(senders);

    const lateAcks = ackTimes.filter((t) => t > killedAt - 1000 && t <= killedAt).length;
    expect(acknowledged.size, 'records acknowledged before the kill').to.be.at.least(20 * PER_REQUEST);
    expect(lateAcks, 'requests acknowledged in the last second before the kill').to.be.greaterThan(0);

    await stackScript(env, 'start.sh', '--only', 'collector', '--keep-state');
    await receiver.start();
    const arrivedIds = (): Set<string> =>
      new Set(
        receiver.logs.filter((l) => l.resource['service.name'] === service).map((l) => l.attributes['test.id'] ?? ''),
      );
    try {
      await receiver.waitFor(
        () => [...acknowledged].every((id) => arrivedIds().has(id)),
        45_000,
        'every acknowledged record after the restart',
      );
    } finally {
      const arrived = arrivedIds();
      const lost = [...acknowledged].filter((id) => !arrived.has(id));
      console.log(
        `      acknowledged ${acknowledged.size} records (${ackTimes.length} requests, ${lateAcks} in the last second), refused/failed requests ${refused}, lost ${lost.length}`,
      );
    }
  });
});
