/**
 * The last step of every AuditLogger helper: attach what sanitizing changed, count the event,
 * and emit the one OTel log record; or, when building the record failed, emit a minimal
 * well-defined record instead. Never throws.
 *
 * A helper's attributes are a fresh, sanitized map built for the one record, so with an SDK logger
 * that takes every record unchanged they are handed to its processors as a lean record, without
 * the SDK record's check and deep copy of each value (src/logger/lean-chain.ts); otherwise, and
 * for a record the lean chain declines, through the logger itself.
 */
import { SeverityNumber, type LogAttributes, type Logger } from '@opentelemetry/api-logs';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { ATTR, eventNameFor } from '../events/semconv.js';
import { UNKNOWN, type InputIssues } from './input.js';
import { inCanonicalOrder } from './key-order.js';
import { leanChainOf, type LeanChain } from './lean-chain.js';
import type { AuditMetrics } from './metrics.js';
import { errorKind, errorText } from '../events/error-text.js';
import { CUT_ANYWHERE, cutText, type CutPoint } from '../record/text-cut.js';

/** Diagnostics kinds counted by the logger itself (besides `sanitize.<issue>`). */
export const LOGGER_FAILURE = {
  /** Building a helper's record failed; a minimal record was emitted instead. */
  build: 'logger.build',
  /** The OTel logger threw while emitting. */
  emit: 'logger.emit',
  /** A duration sample was not kept in process (too many operation names). */
  sample: 'logger.performance-sample',
  /** A helper was called after `shutdown()`; its record could not be written. */
  closed: 'logger.after-shutdown',
} as const;

/**
 * Lists what sanitizing changed (`issues`, sorted) in the record's `audit.sanitized` attribute and
 * counts each as `sanitize.<issue>`, described as found in `what`. Nothing when nothing changed.
 */
export function markSanitized(
  attributes: LogAttributes,
  issues: InputIssues,
  diagnostics: AuditDiagnostics,
  what: string,
): void {
  if (issues.list === undefined) return;
  attributes[ATTR.sanitized] = issues.list.sort();
  for (const issue of issues.list) diagnostics.count(`sanitize.${issue}`, `${what}: ${issue}`);
}

/** Emits helper records through one OTel logger. */
export class RecordWriter {
  /** Records emitted so far. */
  emitted = 0;
  /** Set by `AuditLogger.shutdown()`: further records are counted as lost instead of vanishing in a closed provider. */
  closed = false;
  /** The processor chain of `logger` when helper records can skip the SDK's record, else `undefined`. */
  private readonly lean: LeanChain | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: AuditMetrics,
    private readonly diagnostics: AuditDiagnostics,
    /** Where a long lead id may be cut (the PII processor's safe cut, so no detected value is split). */
    private readonly cutPoint: CutPoint = CUT_ANYWHERE,
  ) {
    this.lean = leanChainOf(logger);
  }

  /** Emits one record of `type`; `issues` found while sanitizing go to `audit.sanitized` and diagnostics. */
  write(
    type: string,
    severity: SeverityNumber,
    body: string,
    attributes: LogAttributes,
    workflow: string,
    issues: InputIssues,
  ): void {
    markSanitized(attributes, issues, this.diagnostics, `${type} helper argument`);
    this.metrics.event(type, workflow);
    this.emit(type, severity, body, attributes);
  }

  /** A minimal record when building the real one failed (`audit.sanitized: ["internal-error"]`). */
  fallback(type: string, leadId: unknown, workflow: unknown, err: unknown): void {
    try {
      this.diagnostics.count(LOGGER_FAILURE.build, `${type}: ${errorKind(err)}`);
      const wf = typeof workflow === 'string' && workflow !== '' && workflow.length <= 256 ? workflow : UNKNOWN;
      const attributes: LogAttributes = {
        [ATTR.eventType]: type,
        [ATTR.workflow]: wf,
        [ATTR.sanitized]: ['internal-error'],
      };
      if (typeof leadId === 'string' || typeof leadId === 'number')
        attributes[ATTR.leadId] = cutText(String(leadId), 256, this.cutPoint);
      this.metrics.event(type, wf);
      this.emit(
        type,
        type === 'error' ? SeverityNumber.ERROR : SeverityNumber.INFO,
        `${type} event (arguments could not be recorded)`,
        attributes,
      );
    } catch {
      // nothing left to do; the failure is already counted when counting itself worked
    }
  }

  private emit(type: string, severity: SeverityNumber, body: string, attributes: LogAttributes): void {
    if (this.closed) {
      this.diagnostics.count(LOGGER_FAILURE.closed, `${type} record after shutdown`);
      return;
    }
    try {
      const record = {
        eventName: eventNameFor(type),
        severityNumber: severity,
        severityText: severity === SeverityNumber.ERROR ? 'ERROR' : 'INFO',
        body,
        attributes: inCanonicalOrder(attributes),
      };
      if (this.lean === undefined || !this.lean.emitOwned(record)) this.logger.emit(record);
      this.emitted++;
    } catch (err) {
      this.diagnostics.count(LOGGER_FAILURE.emit, `${type}: ${errorText(err)}`);
    }
  }
}
