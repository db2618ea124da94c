/**
 * A small orchestrator process for the shipping e2e tests: logs `count` lead records as fast as
 * it can to a journal, with OTLP export to the collector shipped from that journal, prints its
 * progress and shipper lag as JSON lines, waits until the shipper has caught up (bounded), then
 * shuts down. Usage: node journal-app.js <auditFile> <count> <collectorUrl> <serviceName> [perSecond]
 * [segmentMb] (`perSecond` paces the records, default: as fast as possible; `segmentMb`: rotation size)
 * (signing key in AUDIT_SIGNING_KEY, key id AUDIT_SIGNING_KEY_ID).
 */
import { createAuditLogger } from '../../src/logger/default-logger.js';

const [auditFile, countText, endpoint, serviceName, rateText, segmentMbText] = process.argv.slice(2);
if (!auditFile || !countText || !endpoint || !serviceName)
  throw new Error('usage: journal-app <auditFile> <count> <collectorUrl> <serviceName>');
const count = Number(countText);
const perSecond = Number(rateText ?? 0);
const audit = createAuditLogger({
  auditFile,
  serviceName,
  ...(segmentMbText ? { maxFileSizeMb: Number(segmentMbText) } : {}),
  sealIntervalMs: 0,
  sealEveryRecords: 0,
  pii: { enabled: true, mode: 'redact' },
  otlp: { endpoint, metrics: false, shipper: { retryMaxMs: 1000 } },
});
let emitted = 0;
const report = (phase: string): void => {
  const s = audit.getDiagnostics().shipping;
  process.stdout.write(
    JSON.stringify({
      phase,
      emitted,
      behind: s?.recordsBehind,
      secondsBehind: s?.secondsBehind,
      state: s?.state,
      shipped: s?.recordsShipped,
    }) + '\n',
  );
};
const timer = setInterval(() => report('running'), 250);
const start = Date.now();
for (let i = 0; i < count; i++) {
  if (perSecond > 0 && i % 50 === 0) {
    const due = start + (i / perSecond) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }
  audit.logLeadIngested(`L-${i}`, 'web', { email: `lead${i}@example.com`, score: i % 100 }, 'sales');
  emitted++;
  if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
}
report('emitted');
const deadline = Date.now() + 300_000;
while (Date.now() < deadline && (audit.getDiagnostics().shipping?.recordsBehind ?? 1) > 0) await audit.forceFlush();
clearInterval(timer);
await audit.shutdown();
report('done');
