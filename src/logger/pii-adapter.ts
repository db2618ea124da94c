/**
 * How the AuditLogger gets its PII-anonymizing processor (`PiiAnonymizingProcessor`, placed
 * before the signer) and switches it for compliance mode.
 */
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { PiiAnonymizingProcessor, type PiiAnonymizingOptions } from '../processors/pii/pii-processor.js';
import { type PiiMode } from '../processors/pii/types.js';

export type { PiiMode };

/**
 * PII options of the AuditLogger: those of `PiiAnonymizingProcessor` (mode, key, field names,
 * detectors, …), except that anonymization is OFF unless `enabled` is true or
 * `enableComplianceMode({ anonymizePii: true })` is called (seed parity).
 */
export type AuditPiiOptions = Omit<PiiAnonymizingOptions, 'diagnostics'>;

/** What the AuditLogger needs from a PII processor: the processor and its on/off switch. */
export interface PiiProcessorLike {
  /** The processor placed before the signer. */
  readonly processor: LogRecordProcessor;
  /** Whether records are anonymized; off = records pass unchanged. */
  readonly anonymizing: boolean;
  /** Turns anonymization on or off (compliance mode). */
  setAnonymizing(on: boolean): void;
  /**
   * `value` with its PII replaced while anonymizing, unchanged otherwise: for what leaves the
   * process outside log records (metric attribute values, span status and exception events).
   * Short texts (labels) are remembered, bounded.
   */
  text(value: string): string;
  /** Where a long string may be cut at or before `at` without splitting a detected value (`at` while not anonymizing). */
  safeCut(text: string, at: number): number;
}

/** Longest text whose anonymized form is remembered (metric labels, names). */
const LABEL_LENGTH = 256;
/** Most texts remembered. */
const MAX_LABELS = 4096;

/** Builds the PII processor for the pipeline. Throws on invalid options (e.g. `pseudonymize` without key). */
export function createPiiProcessor(options: AuditPiiOptions = {}, diagnostics?: AuditDiagnostics): PiiProcessorLike {
  const processor = new PiiAnonymizingProcessor({
    ...options,
    enabled: options.enabled ?? false,
    ...(diagnostics ? { diagnostics } : {}),
  });
  const labels = new Map<string, string>();
  return {
    processor,
    get anonymizing(): boolean {
      return processor.anonymizing;
    },
    setAnonymizing(on: boolean): void {
      processor.setAnonymizing(on);
    },
    text(value: string): string {
      if (!processor.anonymizing) return value;
      if (value.length > LABEL_LENGTH) return processor.anonymizeText(value);
      let cleaned = labels.get(value);
      if (cleaned === undefined) {
        cleaned = processor.anonymizeText(value);
        if (labels.size >= MAX_LABELS) labels.clear();
        labels.set(value, cleaned);
      }
      return cleaned;
    },
    safeCut(text: string, at: number): number {
      return processor.safeCut(text, at);
    },
  };
}
