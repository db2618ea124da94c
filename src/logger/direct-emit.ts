/**
 * Records emitted straight through an OTel `Logger` of the AuditLogger's provider
 * (`audit.loggerProvider.getLogger(…)`) get the helpers' input handling: the OTel SDK would drop,
 * with a diagnostic warning only, an attribute whose value is not a plain value, array or plain
 * object (a `Date`, a `Map`, a class instance, a cycle) and would give a `__proto__` key to the
 * object's prototype instead of keeping it. Here attributes and body go through the shared
 * sanitizer first, so such values are converted and kept, what changed is listed in
 * `audit.sanitized` and counted as `sanitize.<issue>`.
 */
import type { AnyValue, LogAttributes, Logger, LogRecord } from '@opentelemetry/api-logs';
import { LoggerProvider, type LoggerProviderConfig } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { errorText } from '../events/error-text.js';
import { sanitizeValue, type SanitizeLimitsInput } from '../events/sanitize.js';
import { CUT_ANYWHERE, type CutPoint } from '../record/text-cut.js';
import { InputIssues } from './input.js';
import { LOGGER_FAILURE, markSanitized } from './record-writer.js';

/** How direct emits are sanitized: limits, where long texts may be cut, where issues are counted. */
export interface DirectEmitSettings {
  readonly diagnostics: AuditDiagnostics;
  readonly limits?: SanitizeLimitsInput;
  /** Where a long string may be cut (never inside a detected PII value). */
  readonly cutPoint?: CutPoint;
}

/** A logger that sanitizes each record before the wrapped logger (the SDK's) sees it. Never throws. */
class SanitizingLogger implements Logger {
  constructor(
    private readonly inner: Logger,
    private readonly settings: DirectEmitSettings,
  ) {}

  emit(record: LogRecord): void {
    const { diagnostics } = this.settings;
    try {
      const issues = new InputIssues();
      const attributes = this.attributesOf(record.attributes, issues);
      const body = record.body === undefined ? undefined : (this.clean(record.body, issues) as AnyValue);
      markSanitized(attributes, issues, diagnostics, 'direct emit');
      this.inner.emit({ ...record, attributes, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      diagnostics.count(LOGGER_FAILURE.emit, `direct emit: ${errorText(err)}`);
    }
  }

  enabled(...args: Parameters<Logger['enabled']>): boolean {
    return this.inner.enabled(...args);
  }

  /** The sanitized attributes: a new map (the sanitizer copies every object), owned by the record. */
  private attributesOf(given: unknown, issues: InputIssues): LogAttributes {
    if (given === undefined || given === null) return {};
    const clean = this.clean(given, issues);
    if (clean !== null && typeof clean === 'object' && !Array.isArray(clean)) return clean as LogAttributes;
    issues.add('not-object');
    return { value: clean as AnyValue };
  }

  private clean(value: unknown, issues: InputIssues): unknown {
    const result = sanitizeValue(value, this.settings.limits, this.settings.cutPoint ?? CUT_ANYWHERE);
    for (const issue of result.issues) issues.add(issue);
    return result.value;
  }
}

/**
 * A {@link LoggerProvider} whose `getLogger` loggers sanitize what they are given (see the module
 * doc). The pipeline's own records, already clean, go through {@link coreLogger} unchanged.
 */
export class SanitizingLoggerProvider extends LoggerProvider {
  private readonly wrapped = new Map<string, Logger>();

  constructor(
    config: LoggerProviderConfig,
    private readonly settings: DirectEmitSettings,
  ) {
    super(config);
  }

  /** A logger of this provider that sanitizes each record first. */
  override getLogger(...args: Parameters<LoggerProvider['getLogger']>): Logger {
    const [name, version, options] = args;
    const key = `${name}\0${version ?? ''}\0${options?.schemaUrl ?? ''}`;
    let logger = this.wrapped.get(key);
    if (!logger) {
      logger = new SanitizingLogger(super.getLogger(...args), this.settings);
      this.wrapped.set(key, logger);
    }
    return logger;
  }

  /** The SDK's logger itself, for records that are clean already (helpers, seals, trail records). */
  coreLogger(name: string): Logger {
    return super.getLogger(name);
  }
}
