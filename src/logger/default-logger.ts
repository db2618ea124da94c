/**
 * Creating AuditLoggers and the process-wide default one (seed `get_audit_logger()`).
 */
import { AuditLogger } from './audit-logger.js';
import { optionsFromEnv } from './env.js';
import type { AuditLoggerOptions } from './options.js';

let defaultLogger: AuditLogger | undefined;

/**
 * Creates an AuditLogger with its own signed pipeline. Configuration errors throw here (e.g.
 * `AuditKeyError` when integrity is on and no key is configured), never at the first event.
 */
export function createAuditLogger(options: AuditLoggerOptions = {}): AuditLogger {
  return new AuditLogger(options);
}

/**
 * One-call start from the environment (`OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_ENDPOINT` and its
 * `_LOGS_`/`_METRICS_` variants and headers, `OTEL_RESOURCE_ATTRIBUTES`, `AUDIT_FILE`,
 * `AUDIT_SIGNING_KEY`, …; see docs/sdk.md). `overrides` win over the environment. The logger
 * becomes the process-wide default returned by {@link getAuditLogger}.
 */
export function startAuditFromEnv(
  overrides: AuditLoggerOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): AuditLogger {
  const logger = createAuditLogger({ ...optionsFromEnv(env), ...overrides });
  defaultLogger = logger;
  return logger;
}

/**
 * The process-wide default AuditLogger, created from the environment on first use and again after
 * the default was shut down (see {@link startAuditFromEnv}). Throws on the first call when the environment is not usable (e.g.
 * no signing key while integrity is on).
 */
export function getAuditLogger(): AuditLogger {
  if (defaultLogger === undefined || defaultLogger.isShutDown) defaultLogger = startAuditFromEnv();
  return defaultLogger;
}

/** Makes `logger` the default returned by {@link getAuditLogger} (`undefined` clears it). Returns the previous one. */
export function setAuditLogger(logger: AuditLogger | undefined): AuditLogger | undefined {
  const previous = defaultLogger;
  defaultLogger = logger;
  return previous;
}
