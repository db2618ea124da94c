/**
 * Zero-code auditing: an OpenTelemetry instrumentation that patches configured orchestrator
 * modules when they are loaded — CommonJS (require-in-the-middle) and ESM (import-in-the-middle;
 * its loader hook must be registered, see `register.ts`). Exported functions are replaced in the
 * module's exports (for ESM through import-in-the-middle's setters, so importers' live bindings
 * see the wrapped function); exported classes get their prototype methods wrapped in place.
 */
import path from 'node:path';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';
import type { ModuleAuditSpec, ModuleInstrumentationConfig } from './config.js';
import { patchExports } from './instrument.js';
import type { InstrumentOptions } from './spec.js';
import { INSTRUMENTATION_FAILURE } from './call-plan.js';
import { auditResolver, instrumentationDiagnostics, originalOf, TRACER_NAME } from './wrap-function.js';
import { errorText } from '../events/error-text.js';

/** Version reported by the instrumentation. */
export const AUDIT_INSTRUMENTATION_VERSION = '0.1.0';

/** Configuration of {@link AuditInstrumentation}. */
export interface AuditInstrumentationConfig extends InstrumentationConfig, ModuleInstrumentationConfig {
  /** The AuditLogger (or a getter); default `getAuditLogger()`. */
  readonly audit?: InstrumentOptions['audit'];
}

type Exports = Record<string, unknown>;

/** Warning type (`process.emitWarning`) of a configured export that could not be patched. */
export const PATCH_WARNING = 'AuditInstrumentationWarning';

/** Patches the modules of its config when they are loaded (or at once when enabled after loading). */
export class AuditInstrumentation extends InstrumentationBase<AuditInstrumentationConfig> {
  /** @param config modules to patch (see `config.ts` for the JSON form) and the AuditLogger. */
  constructor(config: AuditInstrumentationConfig) {
    super(TRACER_NAME, AUDIT_INSTRUMENTATION_VERSION, config);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    const config = this.getConfig();
    return (config.modules ?? []).map((spec) => this.definitionOf(spec, config));
  }

  /**
   * A configured export that cannot be patched (missing, not a function / class, read-only): the
   * rest of the module is still patched; the failure is counted (`instrumentation.patch`, in the
   * logger's diagnostics, else in `instrumentationDiagnostics`) and printed as a process warning,
   * since the OTel diag logger is silent by default.
   */
  private reportPatchFailure(module: string, failure: string, options: InstrumentOptions): void {
    const message = `cannot patch ${module}: ${failure}`;
    this._diag.error(message);
    // the AuditLogger is resolved as for a call (a missing one is counted as instrumentation.audit)
    const diagnostics = auditResolver(options)()?.diagnostics ?? instrumentationDiagnostics;
    diagnostics.count(INSTRUMENTATION_FAILURE.patch, message);
    process.emitWarning(message, PATCH_WARNING);
  }

  private definitionOf(spec: ModuleAuditSpec, config: AuditInstrumentationConfig): InstrumentationNodeModuleDefinition {
    const options: InstrumentOptions = {
      ...(config.audit !== undefined ? { audit: config.audit } : {}),
      ...(config.workflow !== undefined ? { workflow: config.workflow } : {}),
    };
    const patch = (exports: Exports): Exports => {
      let failures: string[];
      try {
        failures = patchExports(exports, spec.functions ?? {}, spec.classes ?? {}, options);
      } catch (err) {
        failures = [errorText(err)];
      }
      for (const failure of failures) this.reportPatchFailure(spec.module, failure, options);
      return exports;
    };
    const unpatch = (exports: Exports): void => {
      for (const name of Object.keys(spec.functions ?? {})) exports[name] = originalOf(exports[name]);
      for (const [cls, methods] of Object.entries(spec.classes ?? {})) {
        const proto = (exports[cls] as { prototype?: Exports } | undefined)?.prototype;
        if (proto) for (const name of Object.keys(methods)) proto[name] = originalOf(proto[name]);
      }
    };
    if (!path.isAbsolute(spec.module))
      return new InstrumentationNodeModuleDefinition(spec.module, ['*'], patch, unpatch);
    // An absolute path: require-in-the-middle reports it without a base dir (patched as the module);
    // import-in-the-middle reports it as <basename> in <dir> (matched by the file entry).
    const file = new InstrumentationNodeModuleFile(path.parse(spec.module).name, ['*'], patch, unpatch);
    return new InstrumentationNodeModuleDefinition(spec.module, ['*'], patch, unpatch, [file]);
  }
}
