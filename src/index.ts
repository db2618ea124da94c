/**
 * orchestrator-audit-otel: a tamper-evident audit trail for automation orchestrators on
 * OpenTelemetry. The public API, area by area (see README.md for the map).
 */
// Naming scheme, diagnostics, the canonical record format shared by signer and verifiers.
export * from './events/semconv.js';
export * from './events/diagnostics.js';
export * from './record/canonical.js';
export * from './record/audit-record.js';
export * from './record/signed-log.js';
export * from './record/journal-line.js';
export * from './record/record-kinds.js';
export * from './record/record-content.js';
export type { StreamHead } from './record/stream-head.js';
export * from './record/retention-record.js';
// AuditLogger and its helpers (logLeadIngested, …, track, getPerformanceStats).
export * from './logger/index.js';
// Processors usable in any OTel setup: PII anonymization, then signing; and the verifier.
export * from './processors/pii/index.js';
export * from './processors/signing/index.js';
export * from './verify/index.js';
// Sinks: the local signed journal, OTLP, webhooks; in-process alerts.
export type { JournalService } from './sinks/journal-service.js';
export * from './sinks/journal/index.js';
export * from './sinks/otlp.js';
export * from './sinks/webhooks/index.js';
export * from './sinks/witness/index.js';
export * from './alerts/index.js';
// Query sources: journal, Loki, Prometheus.
export type * from './query/types.js';
export * from './query/journal/index.js';
export * from './query/loki/index.js';
export * from './query/prometheus/index.js';
// Reports and the CLI entry (for embedding).
export * from './reports/index.js';
export * from './cli/index.js';
// Input sanitizing (what the helpers do to bad input) and auto-instrumentation.
export * from './events/sanitize.js';
export * from './instrumentation/index.js';
