/**
 * The application of the sustained shipping benchmark (bench/shipper-sustained.ts), a process of
 * its own: logs the bench's lead records through the default path (compliance mode, signing,
 * journal, shipped from the journal to the collector) for `seconds`, at `rate` records/s (0: as
 * fast as it can), and prints a JSON sample every `sampleMs`: records emitted, the shipper's lag
 * (records and seconds behind), records shipped, this process's CPU time and the shipper
 * thread's CPU time; `head`: the seq of the stream's last record (records written). Then waits (bounded) for the shipper to catch up and prints a last sample.
 * Usage: node sustained-app.js <auditFile> <seconds> <rate> <collectorUrl> <sampleMs>
 */
import { randomBytes } from 'node:crypto';
import { createAuditLogger } from '../src/logger/default-logger.js';
import { generateLeads } from './workload.js';

const [auditFile, secondsText, rateText, endpoint, sampleText] = process.argv.slice(2);
if (!auditFile || !secondsText || !rateText || !endpoint || !sampleText)
  throw new Error('usage: sustained-app <auditFile> <seconds> <rate> <collectorUrl> <sampleMs>');
const seconds = Number(secondsText);
const rate = Number(rateText);
const leads = generateLeads(1000);
const audit = createAuditLogger({
  signingKey: randomBytes(32).toString('base64'),
  env: {},
  auditFile,
  serviceName: 'bench-sustained',
  sealIntervalMs: 0,
  pii: { enabled: true, mode: 'redact' },
  otlp: { endpoint, metrics: false, shipper: { drainTimeoutMs: 5000 } },
});
let emitted = 0;
const start = Date.now();
const sample = (phase: string): void => {
  const s = audit.getDiagnostics().shipping;
  const cpu = process.cpuUsage();
  process.stdout.write(
    JSON.stringify({
      phase,
      t: (Date.now() - start) / 1000,
      emitted,
      behind: s?.recordsBehind,
      secondsBehind: s?.secondsBehind,
      shipped: s?.recordsShipped,
      processCpuMs: (cpu.user + cpu.system) / 1000,
      shipperCpuMs: s?.threadCpuMs,
      head: audit.getDiagnostics().head?.seq,
    }) + '\n',
  );
};
const timer = setInterval(() => sample('running'), Number(sampleText));
const end = start + seconds * 1000;
for (let i = 0; Date.now() < end; i++) {
  if (rate > 0 && i % 50 === 0) {
    const due = start + (i / rate) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }
  const lead = leads[i % leads.length] as (typeof leads)[number];
  audit.logLeadIngested(lead.leadId, lead.source, lead.data, lead.workflow);
  emitted++;
  if (i % 500 === 499) await new Promise((r) => setImmediate(r)); // let the journal write
}
sample('logged');
const deadline = Date.now() + 180_000;
while (Date.now() < deadline && (audit.getDiagnostics().shipping?.recordsBehind ?? 1) > 0) {
  await audit.forceFlush();
  sample('draining');
}
clearInterval(timer);
sample('caught-up');
await audit.shutdown();
sample('shut-down');
