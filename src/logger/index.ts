/** Audit logger: seed-parity helpers on an OTel pipeline, metrics, performance statistics, env start. See docs/sdk.md. */
export { LOGGER_FAILURE } from './record-writer.js';
export { AuditLogger } from './audit-logger.js';
export type { AuditLoggerDiagnostics, CustomEventFields, LeadId } from './types.js';
export { createAuditLogger, getAuditLogger, setAuditLogger, startAuditFromEnv } from './default-logger.js';
export { AUDIT_ENV, optionsFromEnv, otlpFromEnv } from './env.js';
export type { AuditLoggerOptions } from './options.js';
export type { AuditOtlpOptions } from '../sinks/otlp-options.js';
export type { AuditPiiOptions, PiiMode } from './pii-adapter.js';
export { DURATION_HISTOGRAM_MAX_SIZE, durationHistogramView } from './metrics.js';
export { exponentialQuantile, exponentialQuantileErrorBound, type ExponentialBuckets } from './exponential-quantile.js';
export { QuantileSketch, SKETCH_RELATIVE_ACCURACY } from './quantile-sketch.js';
export { SinkFanout, FANOUT_FAILURE } from './sink-fanout.js';
export { DEFAULT_SERVICE_NAME } from './pipeline.js';
export { AuditArgumentError } from '../events/argument-error.js';
