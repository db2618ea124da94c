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
/** Most texts remembered, and most texts seen once waiting for a second use. */
const MAX_LABELS = 4096;

/**
 * The anonymized form of short texts that recur (event types, workflow names, sources, metric
 * labels). A text is remembered from its second use on: the input coercer also passes lead and
 * CRM ids and messages through here, unique per call, and they would otherwise fill the memory
 * and push the recurring texts out over and over. Texts seen once are only noted (bounded, the
 * note dropped when full); the remembered ones are dropped only when the memory of recurring
 * texts itself is full.
 */
export class LabelMemo {
  private readonly labels = new Map<string, string>();
  private readonly seenOnce = new Set<string>();

  constructor(private readonly limit: number = MAX_LABELS) {}

  /** The remembered form of `text`, or `undefined`. */
  get(text: string): string | undefined {
    return this.labels.get(text);
  }

  /** Notes `text` and its anonymized form; it is remembered when it was noted before. */
  note(text: string, cleaned: string): void {
    if (!this.seenOnce.delete(text)) {
      if (this.seenOnce.size >= this.limit) this.seenOnce.clear();
      this.seenOnce.add(text);
      return;
    }
    if (this.labels.size >= this.limit) this.labels.clear();
    this.labels.set(text, cleaned);
  }

  /** Texts remembered (for tests and diagnostics). */
  get size(): number {
    return this.labels.size;
  }
}

/** Builds the PII processor for the pipeline. Throws on invalid options (e.g. `pseudonymize` without key). */
export function createPiiProcessor(options: AuditPiiOptions = {}, diagnostics?: AuditDiagnostics): PiiProcessorLike {
  const processor = new PiiAnonymizingProcessor({
    ...options,
    enabled: options.enabled ?? false,
    ...(diagnostics ? { diagnostics } : {}),
  });
  const labels = new LabelMemo();
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
        labels.note(value, cleaned);
      }
      return cleaned;
    },
    safeCut(text: string, at: number): number {
      return processor.safeCut(text, at);
    },
  };
}
