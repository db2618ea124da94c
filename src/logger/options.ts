/**
 * Options of `createAuditLogger` (seed `AuditLogger(...)` arguments camelCased, plus the OTel
 * pipeline: keys, PII, OTLP export, resource, metrics, extra sinks).
 */
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader, MeterProvider } from '@opentelemetry/sdk-metrics';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import type { FsyncPolicy } from '../sinks/journal/options.js';
import type { WitnessTarget } from '../sinks/witness/witness-target.js';
import type { AuditOtlpOptions } from '../sinks/otlp-options.js';
import type { KeyringOptions, Keyring } from '../processors/signing/keys.js';
import type { AuditPiiOptions } from './pii-adapter.js';
import type { SanitizeLimits } from '../events/sanitize.js';
import type { ThreadOptions } from '../thread/thread-options.js';

/** Options of {@link createAuditLogger}. Every field is optional. */
export interface AuditLoggerOptions {
  /**
   * Path of the local signed journal (seed `audit_file`). When given, records are written there
   * and `queryEvents` / `getLeadHistory` / `getStatistics` read it. Default: no journal
   * (`getAuditLogger()` / `startAuditFromEnv()` default to `AUDIT_FILE` or `logs/audit.log`).
   */
  readonly auditFile?: string;
  /** Journal rotation size in MiB (default 50). */
  readonly maxFileSizeMb?: number;
  /** Journal retention in days (default 90). */
  readonly retentionDays?: number;
  /** Rotate the journal (default true). */
  readonly enableRotation?: boolean;
  /** gzip level of rotated journal segments, 1 (fastest, default) to 9 (smallest). */
  readonly compressionLevel?: number;
  /** Journal write interval in ms (default 200). */
  readonly flushIntervalMs?: number;
  /** Journal fsync policy (default `never`). */
  readonly fsync?: FsyncPolicy;
  /**
   * Sign records (default true). Needs a key: `signingKey`, `keyFile`, `keyring`, `sealKeyFile` or the
   * `AUDIT_SIGNING_KEY` / `AUDIT_KEY_FILE` / `AUDIT_SEAL_KEY_FILE` variables; without one `createAuditLogger` throws
   * `AuditKeyError`. `false` still chains records (seq/prev) but leaves them unsigned.
   */
  readonly enableIntegrity?: boolean;
  /** Ready keyring (instead of the key options). */
  readonly keyring?: Keyring;
  /** Active signing secret (hex or base64, ≥ 32 bytes). */
  readonly signingKey?: KeyringOptions['signingKey'];
  /** Key id of `signingKey`. */
  readonly signingKeyId?: string;
  /** Older keys kept for verification. */
  readonly verificationKeys?: KeyringOptions['verificationKeys'];
  /** JSON key file. */
  readonly keyFile?: string;
  /**
   * Ed25519 sealing key file written by `audit-cli keygen` (default: `AUDIT_SEAL_KEY_FILE`). With
   * it, records are hash-chained and seals are signed with a forward-secure Ed25519 key that the
   * public key `audit-seal.pub` alone verifies; no HMAC key is needed then (both may be set). The
   * logger replaces the file with each new epoch's key. See docs/integrity.md "Public-key seals".
   */
  readonly sealKeyFile?: string;
  /** New sealing-key epoch after this much time (ms; default 3600000; 0 = never). */
  readonly sealEpochMs?: number;
  /** New sealing-key epoch after this many seals (default 0 = off). */
  readonly sealEpochSeals?: number;
  /** Seal after this many records (default 10000; 0 = never). */
  readonly sealEveryRecords?: number;
  /** Seal every this many ms when records arrived (default 60000; 0 = never). */
  readonly sealIntervalMs?: number;
  /**
   * Where every seal is also sent, out of reach of whoever can rewrite the journal: a file on
   * another volume (`{ file }`) or a webhook receiver (`{ url }`). `audit-cli integrity --witness`
   * then finds runs deleted or cut even when no later record points at them. See docs/integrity.md.
   */
  readonly witnesses?: readonly WitnessTarget[];
  /** PII anonymization (off unless `enabled` or compliance mode). */
  readonly pii?: AuditPiiOptions;
  /** Export logs (and metrics) over OTLP/HTTP; `true` = from the `OTEL_EXPORTER_OTLP_*` variables. */
  readonly otlp?: AuditOtlpOptions | boolean;
  /** `service.name` of the resource (default `OTEL_SERVICE_NAME` or `orchestrator`). */
  readonly serviceName?: string;
  /** Extra resource, merged over the default + environment (`OTEL_RESOURCE_ATTRIBUTES`) resource. */
  readonly resource?: Resource;
  /**
   * Use this MeterProvider for the SDK's instruments instead of building one (add
   * `durationHistogramView()` to its views for the documented histogram accuracy).
   */
  readonly meterProvider?: MeterProvider;
  /** Readers of the MeterProvider the logger builds (ignored with `meterProvider`). */
  readonly metricReaders?: readonly IMetricReader[];
  /** Extra sink processors placed after the signer (e.g. a `SimpleLogRecordProcessor` of your exporter). */
  readonly processors?: readonly LogRecordProcessor[];
  /** Size limits of helper arguments. */
  readonly limits?: Partial<SanitizeLimits>;
  /** Failure counter (default: a new one per logger). */
  readonly diagnostics?: AuditDiagnostics;
  /** Environment read for keys and defaults (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Thread mode (default off; `AUDIT_THREAD=1` for `startAuditFromEnv`): PII anonymization,
   * signing, the journal, the shipper, OTLP logs and witnesses run in a worker thread fed through
   * a shared ring buffer, so a helper call costs the app thread only coercion, a JSON snapshot and
   * a copy. Same records, chain and seals; configuration errors still throw here. `keyring` and
   * `processors` are refused in thread mode (live objects cannot run in the worker). See
   * docs/sdk.md "Thread mode".
   */
  readonly thread?: boolean | ThreadOptions;
}
