/**
 * Zero-code entry: `node --import orchestrator-audit-otel/register app.js`
 * (in this repo: `node --import ./dist/src/instrumentation/register.js app.js`).
 *
 * Sets up, before the app loads: the AuditLogger from the environment (`startAuditFromEnv`:
 * AUDIT_FILE, AUDIT_SIGNING_KEY, OTEL_* …), an AsyncLocalStorage context manager and a tracer
 * provider (unless the app's environment already registered them), the import-in-the-middle ESM
 * loader hook, and an {@link AuditInstrumentation} configured by `AUDIT_INSTRUMENT_CONFIG`. On
 * `beforeExit`, SIGTERM and SIGINT the logger is shut down (shutdown seal, flush).
 */
import { register } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { startAuditFromEnv } from '../logger/default-logger.js';
import { AuditInstrumentation, PATCH_WARNING } from './audit-instrumentation.js';
import { INSTRUMENT_CONFIG_ENV, loadInstrumentConfig, missingModuleFiles } from './config.js';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider();
trace.setGlobalTracerProvider(tracerProvider); // false (kept as is) when one is already registered

const config = loadInstrumentConfig();
if (!config) console.warn(`orchestrator-audit-otel: ${INSTRUMENT_CONFIG_ENV} is not set; nothing will be instrumented`);
for (const file of config ? missingModuleFiles(config) : []) {
  process.emitWarning(
    `${INSTRUMENT_CONFIG_ENV}: module file ${file} does not exist; it will not be instrumented`,
    PATCH_WARNING,
  );
}
const audit = startAuditFromEnv();
/** The instrumentation registered by this entry (exported for tests and diagnostics). */
export const auditInstrumentation = new AuditInstrumentation({ modules: [], ...config, audit });
await waitForAllMessagesAcknowledged();

let closing: Promise<void> | undefined;
function close(): Promise<void> {
  closing ??= audit.shutdown().then(() => tracerProvider.shutdown());
  return closing;
}
process.once('beforeExit', () => {
  void close();
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void close().finally(() => process.kill(process.pid, signal));
  });
}
