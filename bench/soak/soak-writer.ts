/**
 * Writer process of the fault-injection soak: a signed pipeline (signer → journal, optionally an
 * OTLP sink to a loopback collector) emitting `rate` events per second in 20 ms ticks. After each
 * tick it reports `<last seq> <Date.now()>` on stdout (synchronous for pipes), so the soak knows
 * what was emitted when it SIGKILLs this process. SIGTERM shuts down cleanly (shutdown seal).
 * Usage: node soak-writer.js <auditFile> <rate> <flushIntervalMs> <maxBufferBytes> [otlpEndpoint]
 */
import { writeSync } from 'node:fs';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { SigningProcessor } from '../../src/processors/signing/signing-processor.js';
import { openJournal } from '../../src/sinks/journal/open-journal.js';
import { OtlpLogSink } from '../../src/sinks/otlp.js';
import { resolveOtlpOptions } from '../../src/sinks/otlp-options.js';
import { SOAK_KEYS } from './soak-keys.js';

const [auditFile, rateArg, intervalArg, bufferArg, otlpEndpoint] = process.argv.slice(2);
const rate = Number(rateArg);
const diagnostics = new AuditDiagnostics();
const journal = openJournal(
  {
    auditFile: auditFile as string,
    maxFileSizeMb: 1,
    flushIntervalMs: Number(intervalArg),
    maxBufferBytes: Number(bufferArg),
  },
  diagnostics,
);
const previous = journal.previousHead();
const signer = new SigningProcessor({
  keyring: SOAK_KEYS,
  diagnostics,
  sealIntervalMs: 1000,
  ...(previous ? { previous } : {}),
});
const processors: LogRecordProcessor[] = [signer, journal.processor];
if (otlpEndpoint) {
  const otlp = resolveOtlpOptions({ endpoint: otlpEndpoint, metrics: false });
  if (!otlp) throw new Error(`bad OTLP endpoint ${otlpEndpoint}`);
  processors.push(new OtlpLogSink(otlp, diagnostics));
}
const provider = new LoggerProvider({ processors });
signer.bindProvider(provider);
journal.bindSigner(signer);
const logger = provider.getLogger('soak');
writeSync(1, `STREAM ${signer.streamId}\n`);

const TICK_MS = 20;
let emitted = 0;
const started = Date.now();
const timer = setInterval(() => {
  const due = Math.floor(((Date.now() - started) * rate) / 1000);
  while (emitted < due) {
    emitted++;
    logger.emit({
      eventName: 'orchestrator.lead.ingested',
      severityNumber: 9,
      severityText: 'INFO',
      body: `Lead LEAD-${emitted} ingested from web_form`,
      attributes: {
        'orchestrator.event.type': 'lead_ingested',
        'orchestrator.lead.id': `LEAD-${emitted}`,
        'orchestrator.workflow': 'sales',
      },
    });
  }
  writeSync(1, `${signer.head()?.seq ?? 0} ${Date.now()}\n`);
}, TICK_MS);

process.on('SIGTERM', () => {
  clearInterval(timer);
  void provider.shutdown().then(() => {
    const s = journal.statistics();
    writeSync(1, `DONE ${s.linesWritten} ${s.overflowed} ${s.lossRecords} ${s.failedWrites}\n`);
    process.exit(0);
  });
});
