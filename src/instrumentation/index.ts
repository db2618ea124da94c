/** Auto-instrumentation: `instrument()`, decorators and the zero-code OTel instrumentation. See docs/instrumentation.md. */
export type {
  CallAuditSpec,
  CallContext,
  CallKind,
  Extractor,
  InstrumentOptions,
  InstrumentSpec,
  SeedEventType,
} from './spec.js';
export { HELPER_PARAMETERS } from './spec.js';
export { ExtractorPathError } from './extract.js';
export { INSTRUMENTATION_FAILURE } from './call-plan.js';
export {
  INSTRUMENTED,
  TRACER_NAME,
  instrumentationDiagnostics,
  isInstrumented,
  originalOf,
  wrapFunction,
} from './wrap-function.js';
export { instrument, InstrumentTargetError, patchExports } from './instrument.js';
export { audited, auditedRun, type AuditMethodDecorator } from './decorators.js';
export {
  INSTRUMENT_CONFIG_ENV,
  InstrumentConfigError,
  loadInstrumentConfig,
  missingModuleFiles,
  parseInstrumentConfig,
  type ModuleAuditSpec,
  type ModuleInstrumentationConfig,
} from './config.js';
export {
  AuditInstrumentation,
  AUDIT_INSTRUMENTATION_VERSION,
  PATCH_WARNING,
  type AuditInstrumentationConfig,
} from './audit-instrumentation.js';
