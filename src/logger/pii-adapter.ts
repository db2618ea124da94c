/**
 * How the AuditLogger gets its PII-anonymizing processor. Until the shared
 * `PiiAnonymizingProcessor` (src/processors/pii) is wired in, a minimal stand-in redacts e-mail
 * addresses and configured field names in attributes and body, so compliance mode never silently
 * does nothing.
 */
import type { AnyValue } from '@opentelemetry/api-logs';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** PII anonymization modes. */
export type PiiMode = 'redact' | 'mask' | 'pseudonymize';

/** PII options of the AuditLogger (passed on to the PII processor). */
export interface AuditPiiOptions {
  /** Anonymize from the start (default false; `enableComplianceMode({ anonymizePii: true })` turns it on later). */
  readonly enabled?: boolean;
  /** How found PII is replaced (default `redact`). */
  readonly mode?: PiiMode;
  /** Key of `pseudonymize` mode (HMAC key). */
  readonly key?: string | Uint8Array;
  /** Field names whose values are PII whatever they contain (e.g. `name`, `first_name`, `address`). */
  readonly fieldNames?: readonly string[];
}

/** What the AuditLogger needs from a PII processor: the processor and its on/off switch. */
export interface PiiProcessorLike {
  /** The processor placed before the signer. */
  readonly processor: LogRecordProcessor;
  /** Whether records are anonymized; off = records pass unchanged. */
  readonly anonymizing: boolean;
  /** Turns anonymization on or off (compliance mode). */
  setAnonymizing(on: boolean): void;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const DEFAULT_FIELDS = ['name', 'first_name', 'last_name', 'firstName', 'lastName', 'address', 'phone', 'email'];

/** Minimal stand-in (see module doc). */
class StandInPiiProcessor implements LogRecordProcessor {
  on: boolean;
  private readonly fields: ReadonlySet<string>;

  constructor(options: AuditPiiOptions) {
    this.on = options.enabled ?? false;
    this.fields = new Set(options.fieldNames ?? DEFAULT_FIELDS);
  }

  onEmit(log: ReadWriteLogRecord): void {
    if (!this.on) return;
    for (const key of Object.keys(log.attributes)) {
      const before = log.attributes[key];
      const after = this.clean(before, 0);
      if (after !== before) log.setAttribute(key, after);
    }
    if (typeof log.body === 'string') log.setBody(this.clean(log.body, 0));
  }

  private clean(value: AnyValue, depth: number): AnyValue {
    if (typeof value === 'string') return value.includes('@') ? value.replace(EMAIL, '[REDACTED:email]') : value;
    if (value === null || typeof value !== 'object' || depth > 32 || value instanceof Uint8Array) return value;
    if (Array.isArray(value)) return value.map((v) => this.clean(v as AnyValue, depth + 1));
    const out: Record<string, AnyValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.fields.has(k) ? '[REDACTED:field]' : this.clean(v as AnyValue, depth + 1);
    return out;
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Builds the PII processor for the pipeline. */
export function createPiiProcessor(options: AuditPiiOptions = {}): PiiProcessorLike {
  const processor = new StandInPiiProcessor(options);
  return {
    processor,
    get anonymizing(): boolean {
      return processor.on;
    },
    setAnonymizing(on: boolean): void {
      processor.on = on;
    },
  };
}
