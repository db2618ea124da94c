/**
 * The one reader of the environment: AuditLogger options from the standard OTel variables and the
 * SDK's `AUDIT_*` variables, for `startAuditFromEnv()`, the lazily created default logger, and
 * the defaults of options left out (OTLP settings, resource). See docs/sdk.md "Environment".
 */
import { DEFAULT_AUDIT_FILE } from '../sinks/journal/options.js';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import type { AuditOtlpOptions } from '../sinks/otlp-options.js';
import type { AuditLoggerOptions } from './options.js';

/** Environment variables read here (keys are read by the signing keyring: AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_ID, AUDIT_VERIFY_KEYS, AUDIT_KEY_FILE; the sealing key file AUDIT_SEAL_KEY_FILE by the pipeline). */
export const AUDIT_ENV = {
  auditFile: 'AUDIT_FILE',
  maxFileSizeMb: 'AUDIT_MAX_FILE_SIZE_MB',
  retentionDays: 'AUDIT_RETENTION_DAYS',
  enableRotation: 'AUDIT_ENABLE_ROTATION',
  compressionLevel: 'AUDIT_COMPRESSION_LEVEL',
  enableIntegrity: 'AUDIT_ENABLE_INTEGRITY',
  anonymizePii: 'AUDIT_ANONYMIZE_PII',
  piiMode: 'AUDIT_PII_MODE',
  piiKey: 'AUDIT_PII_KEY',
  thread: 'AUDIT_THREAD',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function flag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new RangeError(`${name} must be true or false, got "${value}"`);
}

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number, got "${value}"`);
  return n;
}

/** A gzip level (an integer from 1 to 9) read from `name`. */
function gzipLevel(name: string, value: string | undefined): number | undefined {
  const n = num(name, value);
  if (n !== undefined && !(Number.isInteger(n) && n <= 9))
    throw new RangeError(`${name} must be an integer from 1 to 9, got "${String(value)}"`);
  return n;
}

/** Longest key or value kept from `OTEL_RESOURCE_ATTRIBUTES` (the SDK's own detector uses the same bound). */
const MAX_RESOURCE_TEXT = 255;

/** What {@link resourceAttributesFromEnv} found. */
export interface EnvResourceAttributes {
  readonly attributes: Record<string, string>;
  /** Why the whole value was discarded, when it was malformed. */
  readonly error?: string;
}

/**
 * The attributes of an `OTEL_RESOURCE_ATTRIBUTES` value (`key1=value1,key2=value2`, keys and values
 * percent-decoded and trimmed). As the OTel specification asks, a malformed value (an entry
 * without exactly one `=`, an empty key, a bad `%` escape, a key or value over 255 characters)
 * is discarded whole and the reason returned in `error`; the caller reports it.
 */
export function resourceAttributesFromEnv(value: string | undefined): EnvResourceAttributes {
  const attributes: Record<string, string> = {};
  if (value === undefined || value.trim() === '') return { attributes };
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const parts = entry.split('=');
    if (parts.length !== 2)
      return {
        attributes: {},
        error: `entry "${entry}" is not key=value (',' and '=' inside keys and values must be percent-encoded)`,
      };
    let key: string;
    let text: string;
    try {
      key = decodeURIComponent((parts[0] as string).trim());
      text = decodeURIComponent((parts[1] as string).trim());
    } catch {
      return { attributes: {}, error: `entry "${entry}" has a malformed percent-escape` };
    }
    if (key === '') return { attributes: {}, error: `entry "${entry}" has an empty key` };
    if (key.length > MAX_RESOURCE_TEXT || text.length > MAX_RESOURCE_TEXT)
      return {
        attributes: {},
        error: `entry for "${key.slice(0, 40)}" is longer than ${MAX_RESOURCE_TEXT} characters`,
      };
    attributes[key] = text;
  }
  return { attributes };
}

/** What the environment gives the resource: {@link resourceAttributesFromEnv} and `OTEL_SERVICE_NAME`. */
export interface EnvResource extends EnvResourceAttributes {
  readonly serviceName?: string;
}

/** The resource settings of `env` (`OTEL_RESOURCE_ATTRIBUTES`, `OTEL_SERVICE_NAME`; empty values are unset). */
export function resourceFromEnv(env: Env): EnvResource {
  const serviceName = env.OTEL_SERVICE_NAME;
  return {
    ...resourceAttributesFromEnv(env.OTEL_RESOURCE_ATTRIBUTES),
    ...(serviceName !== undefined && serviceName !== '' ? { serviceName } : {}),
  };
}

/**
 * The OTLP settings the environment gives, in the options' own shape (`{}` when none): base
 * endpoint (`AUDIT_OTLP_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT`), per-signal URLs
 * (`OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`, `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`), headers
 * (`OTEL_EXPORTER_OTLP_HEADERS`, then `OTEL_EXPORTER_OTLP_LOGS_HEADERS` over them), request timeout
 * (`OTEL_EXPORTER_OTLP_TIMEOUT`), metric interval (`OTEL_METRIC_EXPORT_INTERVAL`),
 * `OTEL_METRICS_EXPORTER=none`, and the shipper's protocol and compression
 * (`OTEL_EXPORTER_OTLP_LOGS_PROTOCOL` / `_COMPRESSION`, else `OTEL_EXPORTER_OTLP_PROTOCOL` / `_COMPRESSION`). Empty values count as unset; a malformed number throws `RangeError`.
 */
export function otlpSettingsFromEnv(env: Env): AuditOtlpOptions {
  const base = nonEmpty(env.AUDIT_OTLP_ENDPOINT) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const logs = nonEmpty(env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT);
  const metrics = nonEmpty(env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT);
  const headers = {
    ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseHeaders(env.OTEL_EXPORTER_OTLP_LOGS_HEADERS),
  };
  const interval = num('OTEL_METRIC_EXPORT_INTERVAL', env.OTEL_METRIC_EXPORT_INTERVAL);
  const timeout = num('OTEL_EXPORTER_OTLP_TIMEOUT', env.OTEL_EXPORTER_OTLP_TIMEOUT);
  const protocol = otlpChoice(env, 'PROTOCOL', ['http/protobuf', 'http/json'] as const);
  const compression = otlpChoice(env, 'COMPRESSION', ['gzip', 'none'] as const);
  return {
    ...(base ? { endpoint: base } : {}),
    ...(logs ? { logsUrl: logs } : {}),
    ...(metrics ? { metricsUrl: metrics } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(interval !== undefined ? { metricIntervalMs: interval } : {}),
    ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    metrics: env.OTEL_METRICS_EXPORTER?.trim() !== 'none',
    ...(protocol || compression
      ? { shipper: { ...(protocol ? { protocol } : {}), ...(compression ? { compression } : {}) } }
      : {}),
  };
}

/** `OTEL_EXPORTER_OTLP_LOGS_<name>`, else `OTEL_EXPORTER_OTLP_<name>`, when one of `allowed` (other values: unset). */
function otlpChoice<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  for (const key of [`OTEL_EXPORTER_OTLP_LOGS_${name}`, `OTEL_EXPORTER_OTLP_${name}`]) {
    const value = env[key]?.trim().toLowerCase();
    if (value && (allowed as readonly string[]).includes(value)) return value as T;
  }
  return undefined;
}

/**
 * OTLP options when `AUDIT_OTLP_ENDPOINT` or any `OTEL_EXPORTER_OTLP_*ENDPOINT` is set (and the SDK
 * is not disabled), else `undefined`: {@link otlpSettingsFromEnv} when the environment turns
 * export on.
 */
export function otlpFromEnv(env: Env): AuditOtlpOptions | undefined {
  if (flag('OTEL_SDK_DISABLED', env.OTEL_SDK_DISABLED) === true) return undefined;
  const settings = otlpSettingsFromEnv(env);
  if (!settings.endpoint && !settings.logsUrl && !settings.metricsUrl) return undefined;
  return settings;
}

/**
 * Parses `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`, keys and values URL-encoded) with the OTel
 * SDK's own parser: an entry without `=` or with a malformed escape (`%zz`) is left out.
 */
export function parseHeaders(value: string | undefined): Record<string, string> {
  return value ? parseKeyPairsIntoRecord(value) : {};
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Options from `env`: journal at `AUDIT_FILE` (default `logs/audit.log`; `off` for none), journal
 * settings, integrity, PII, OTLP export and service name. Throws `RangeError` on malformed values.
 */
export function optionsFromEnv(env: Env = process.env): AuditLoggerOptions {
  const file = env[AUDIT_ENV.auditFile];
  const auditFile =
    file === undefined || file.trim() === ''
      ? DEFAULT_AUDIT_FILE
      : ['off', 'none', 'false'].includes(file.trim().toLowerCase())
        ? undefined
        : file;
  const otlp = otlpFromEnv(env);
  const anonymize = flag(AUDIT_ENV.anonymizePii, env[AUDIT_ENV.anonymizePii]);
  const mode = env[AUDIT_ENV.piiMode];
  if (mode !== undefined && mode !== '' && mode !== 'redact' && mode !== 'mask' && mode !== 'pseudonymize') {
    throw new RangeError(`${AUDIT_ENV.piiMode} must be redact, mask or pseudonymize, got "${mode}"`);
  }
  return {
    env,
    ...(auditFile !== undefined ? { auditFile } : {}),
    maxFileSizeMb: num(AUDIT_ENV.maxFileSizeMb, env[AUDIT_ENV.maxFileSizeMb]),
    retentionDays: num(AUDIT_ENV.retentionDays, env[AUDIT_ENV.retentionDays]),
    enableRotation: flag(AUDIT_ENV.enableRotation, env[AUDIT_ENV.enableRotation]),
    compressionLevel: gzipLevel(AUDIT_ENV.compressionLevel, env[AUDIT_ENV.compressionLevel]),
    enableIntegrity: flag(AUDIT_ENV.enableIntegrity, env[AUDIT_ENV.enableIntegrity]),
    pii: {
      enabled: anonymize ?? false,
      ...(mode ? { mode } : {}),
      ...(env[AUDIT_ENV.piiKey] ? { key: env[AUDIT_ENV.piiKey] } : {}),
    },
    ...(otlp ? { otlp } : {}),
    ...(env.OTEL_SERVICE_NAME ? { serviceName: env.OTEL_SERVICE_NAME } : {}),
    ...(flag(AUDIT_ENV.thread, env[AUDIT_ENV.thread]) ? { thread: true } : {}),
  };
}
