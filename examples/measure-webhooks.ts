/**
 * Measures webhook streaming on this machine: helper-call cost with and without a webhook
 * configured, and the delivery rate to a loopback receiver that verifies every signature.
 *
 *   node dist/examples/measure-webhooks.js [--records 20000] [--batch 100]
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createAuditLogger } from '../src/logger/default-logger.js';
import { startWebhookReceiver } from './webhook-receiver.js';

const KEY = Buffer.alloc(32, 9);

async function measure(records: number, batchSize: number | undefined): Promise<void> {
  let received = 0;
  const server = await startWebhookReceiver({
    port: 0,
    secret: 'measure',
    onPayload: (p) => (received += p.events.length),
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const audit = createAuditLogger({ signingKey: KEY, env: {}, pii: { enabled: true } });
  if (batchSize !== undefined) audit.addWebhook(url, { secret: 'measure', batchSize, maxQueue: records * 2 });
  const data = { email: 'jane.doe@example.com', phone: '+44 20 7946 0958', budget: 30000 };
  for (let i = 0; i < 2000; i++) audit.logLeadIngested(`W-${i}`, 'web_form', data, 'sales'); // warm-up
  await audit.forceFlush();
  received = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < records; i++) audit.logLeadIngested(`LEAD-${i}`, 'web_form', data, 'sales');
  const t1 = process.hrtime.bigint();
  await audit.forceFlush();
  const t2 = process.hrtime.bigint();
  await audit.shutdown();
  server.close();
  const callUs = Number(t1 - t0) / records / 1000;
  const label = batchSize === undefined ? 'no webhook       ' : `webhook batch ${String(batchSize).padEnd(4)}`;
  const delivery =
    batchSize === undefined
      ? ''
      : `; delivered ${received}/${records} in ${(Number(t2 - t0) / 1e9).toFixed(2)} s = ${Math.round(records / (Number(t2 - t0) / 1e9))} records/s end to end`;
  console.log(`${label}: helper call ${callUs.toFixed(2)} µs${delivery}`);
}

const { values } = parseArgs({
  options: { records: { type: 'string', default: '20000' }, batch: { type: 'string', default: '100' } },
});
const records = Number(values.records);
await measure(records, undefined);
await measure(records, Number(values.batch));
await measure(records, 500);
