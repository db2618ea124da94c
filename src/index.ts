/**
 * orchestrator-audit-otel: a tamper-evident audit trail for automation orchestrators on
 * OpenTelemetry. This entry point is the logging path only: importing it loads neither the CLI,
 * the reports, the verifier nor the Loki and Prometheus sources. Those have their own entry points:
 *
 * - `orchestrator-audit-otel/query`: read events back (journal, Loki, Prometheus)
 * - `orchestrator-audit-otel/verify`: verify signed records and hash chains
 * - `orchestrator-audit-otel/reports`: HTML audit reports
 * - `orchestrator-audit-otel/cli`: `audit-cli` in-process
 * - `orchestrator-audit-otel/register`: zero-code instrumentation (`node --import`)
 */

// The AuditLogger and its start-up (see docs/sdk.md).
export { AuditLogger } from './logger/audit-logger.js';
export { createAuditLogger, getAuditLogger, setAuditLogger, startAuditFromEnv } from './logger/default-logger.js';
export { AUDIT_ENV, optionsFromEnv, otlpFromEnv } from './logger/env.js';
export type { AuditLoggerOptions } from './logger/options.js';
export type { ThreadOptions } from './thread/thread-options.js';
export type { ThreadStats } from './thread/worker-link.js';
export type { FeedStats } from './thread/record-feed.js';
export type { AuditOtlpOptions } from './sinks/otlp-options.js';
export type { AuditPiiOptions, PiiMode } from './logger/pii-adapter.js';
export type { AuditLoggerDiagnostics, CustomEventFields, LeadId } from './logger/types.js';
export { DURATION_HISTOGRAM_MAX_SIZE, durationHistogramView } from './logger/metrics.js';
export { AuditArgumentError } from './events/argument-error.js';
export type { AuditEvent, AuditStatistics, EventFilter, PerformanceReport, PerformanceStats } from './query/types.js';

// Names of events, attributes and metrics; failure accounting.
export {
  ATTR,
  CUSTOM_EVENT_PREFIX,
  EVENT_NAMES,
  METRIC,
  SCOPE_NAME,
  eventNameFor,
  type AuditEventType,
} from './events/semconv.js';
export { SEAL_EVENT_NAME, SIGNING_ATTR } from './record/record-kinds.js';
export { AuditDiagnostics, type FailureCount, type FailureListener } from './events/diagnostics.js';
export type { FailureKind, SanitizeIssue } from './events/failure-kinds.js';

// Log record processors usable in any OTel setup: PII anonymization, then signing (see docs/integrity.md).
export { PiiAnonymizingProcessor, type PiiAnonymizingOptions } from './processors/pii/pii-processor.js';
export { pseudonymize } from './processors/pii/replacement.js';
export { SigningProcessor, type SigningProcessorOptions } from './processors/signing/signing-processor.js';
export {
  AuditKeyError,
  KEY_ENV,
  Keyring,
  loadKeyring,
  type KeyringOptions,
  type SecretInput,
} from './processors/signing/keys.js';
export {
  SEAL_KEY_ENV,
  SEAL_KEY_FILES,
  generateSealKeys,
  loadSealKeyFile,
  type GeneratedSealKeys,
  type SealKeyState,
} from './processors/signing/seal-key.js';

// Sinks and alerts (see docs/journal.md, docs/alerts.md).
export type { JournalOptions, FsyncPolicy } from './sinks/journal/options.js';
export { JournalLockedError } from './sinks/journal/errors.js';
export { WebhookProcessor, type WebhookProcessorOptions } from './sinks/webhooks/webhook-processor.js';
export type { WebhookOptions } from './sinks/webhooks/options.js';
export {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  BATCH_ID_HEADER,
  verifyWebhookSignature,
} from './sinks/webhooks/signature.js';
export type { StreamedAuditEvent } from './sinks/webhooks/streamed-event.js';
export {
  AlertProcessor,
  type AlertHandler,
  type AlertProcessorOptions,
  type AlertStats,
} from './alerts/alert-processor.js';
export type { AlertConfig, EmailAlertConfig } from './alerts/alert-config.js';
export type { Alert, AlertError } from './alerts/alert.js';
export { FileWitness } from './sinks/witness/file-witness.js';
export { WebhookWitness, type WebhookWitnessOptions } from './sinks/witness/webhook-witness.js';
export type { WitnessTarget } from './sinks/witness/witness-target.js';

// Auto-instrumentation (see docs/instrumentation.md).
export { instrument, InstrumentTargetError } from './instrumentation/instrument.js';
export { audited, auditedRun, type AuditMethodDecorator } from './instrumentation/decorators.js';
export type {
  CallAuditSpec,
  CallContext,
  CallKind,
  Extractor,
  InstrumentOptions,
  InstrumentSpec,
} from './instrumentation/spec.js';
export { AuditInstrumentation, type AuditInstrumentationConfig } from './instrumentation/audit-instrumentation.js';
