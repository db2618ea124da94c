/**
 * AuditLogger options from the standard OTel variables and the SDK's `AUDIT_*` variables, for
 * `startAuditFromEnv()` and the lazily created default logger. See docs/sdk.md "Environment".
 */
import { DEFAULT_AUDIT_FILE } from '../sinks/journal/options.js';
import type { AuditLoggerOptions, AuditOtlpOptions } from './options.js';

/** Environment variables read here (keys are read by the signing keyring: AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_ID, AUDIT_VERIFY_KEYS, AUDIT_KEY_FILE). */
export const AUDIT_ENV = {
  auditFile: 'AUDIT_FILE',
  maxFileSizeMb: 'AUDIT_MAX_FILE_SIZE_MB',
  retentionDays: 'AUDIT_RETENTION_DAYS',
  enableRotation: 'AUDIT_ENABLE_ROTATION',
  enableIntegrity: 'AUDIT_ENABLE_INTEGRITY',
  anonymizePii: 'AUDIT_ANONYMIZE_PII',
  piiMode: 'AUDIT_PII_MODE',
  piiKey: 'AUDIT_PII_KEY',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new RangeError(`expected true/false, got "${value}"`);
}

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number, got "${value}"`);
  return n;
}

/** `k1=v1,k2=v2` (OTEL_EXPORTER_OTLP_HEADERS format, values URL-decoded). */
export function parseHeaders(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

/** OTLP options when `AUDIT_OTLP_ENDPOINT` or any `OTEL_EXPORTER_OTLP_*ENDPOINT` is set (and the SDK is not disabled), else `undefined`. */
export function otlpFromEnv(env: Env): AuditOtlpOptions | undefined {
  if (flag(env.OTEL_SDK_DISABLED) === true) return undefined;
  const base = env.AUDIT_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const logs = env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT;
  const metrics = env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
  if (!base && !logs && !metrics) return undefined;
  const headers = { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaders(env.OTEL_EXPORTER_OTLP_LOGS_HEADERS) };
  const interval = num('OTEL_METRIC_EXPORT_INTERVAL', env.OTEL_METRIC_EXPORT_INTERVAL);
  return {
    ...(base ? { endpoint: base } : {}),
    ...(logs ? { logsUrl: logs } : {}),
    ...(metrics ? { metricsUrl: metrics } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(interval !== undefined ? { metricIntervalMs: interval } : {}),
    metrics: env.OTEL_METRICS_EXPORTER?.trim() !== 'none',
  };
}

/**
 * Options from `env`: journal at `AUDIT_FILE` (default `logs/audit.log`; `off` for none), journal
 * settings, integrity, PII, OTLP export and service name. Throws `RangeError` on malformed values.
 */
export function optionsFromEnv(env: Env = process.env): AuditLoggerOptions {
  const file = env[AUDIT_ENV.auditFile];
  const auditFile = file === undefined || file.trim() === '' ? DEFAULT_AUDIT_FILE : ['off', 'none', 'false'].includes(file.trim().toLowerCase()) ? undefined : file;
  const otlp = otlpFromEnv(env);
  const anonymize = flag(env[AUDIT_ENV.anonymizePii]);
  const mode = env[AUDIT_ENV.piiMode];
  if (mode !== undefined && mode !== '' && mode !== 'redact' && mode !== 'mask' && mode !== 'pseudonymize') {
    throw new RangeError(`${AUDIT_ENV.piiMode} must be redact, mask or pseudonymize, got "${mode}"`);
  }
  return {
    env,
    ...(auditFile !== undefined ? { auditFile } : {}),
    maxFileSizeMb: num(AUDIT_ENV.maxFileSizeMb, env[AUDIT_ENV.maxFileSizeMb]),
    retentionDays: num(AUDIT_ENV.retentionDays, env[AUDIT_ENV.retentionDays]),
    enableRotation: flag(env[AUDIT_ENV.enableRotation]),
    enableIntegrity: flag(env[AUDIT_ENV.enableIntegrity]),
    pii: {
      enabled: anonymize ?? false,
      ...(mode ? { mode } : {}),
      ...(env[AUDIT_ENV.piiKey] ? { key: env[AUDIT_ENV.piiKey] } : {}),
    },
    ...(otlp ? { otlp } : {}),
    ...(env.OTEL_SERVICE_NAME ? { serviceName: env.OTEL_SERVICE_NAME } : {}),
  };
}
