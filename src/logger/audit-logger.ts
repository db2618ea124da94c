/**
 * The AuditLogger: seed-parity audit helpers (camelCased, seed argument order) that each emit
 * exactly one OTel log record through the signed pipeline, plus metrics, performance tracking,
 * queries over the journal, alerts, webhooks and compliance mode. See docs/sdk.md.
 *
 * Helpers never throw: arguments are coerced/sanitized (what changed is listed in the record's
 * `audit.sanitized` attribute and counted as `sanitize.<issue>` in diagnostics), and internal
 * failures are counted while a minimal well-defined record is still emitted.
 */
import { SeverityNumber, type LogAttributes } from '@opentelemetry/api-logs';
import { AlertProcessor, type AlertConfig, type AlertHandler } from '../alerts/index.js';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { ATTR } from '../events/semconv.js';
import type { AuditEvent, AuditStatistics, EventFilter, PerformanceReport } from '../query/types.js';
import { WebhookProcessor, type WebhookOptions } from '../sinks/webhooks/index.js';
import { InputCoercer, InputIssues, UNKNOWN } from './input.js';
import type { AuditLoggerOptions } from './options.js';
import { PerformanceTracker } from './performance-tracker.js';
import { buildPipeline, type AuditPipeline } from './pipeline.js';
import { LOGGER_FAILURE, RecordWriter } from './record-writer.js';
import type { AuditLoggerDiagnostics, CustomEventFields, LeadId } from './types.js';
import { DEFAULT_SANITIZE_LIMITS } from '../events/sanitize.js';
import { trackCall } from './track.js';

/** Methods bound to their logger at construction (safe to pass around as callbacks). */
const BOUND_METHODS = [
  'logLeadIngested',
  'logLeadQualified',
  'logLeadRouted',
  'logCrmCreate',
  'logCrmUpdate',
  'logEmailSent',
  'logEmailScheduled',
  'logEmailCancelled',
  'logWorkflowStarted',
  'logWorkflowStopped',
  'logError',
  'logEvent',
  'trackPerformance',
  'track',
] as const;

const INFO = SeverityNumber.INFO;
const ERROR = SeverityNumber.ERROR;

/** Audit logger over an OTel LoggerProvider/MeterProvider pipeline. Create with `createAuditLogger`. */
export class AuditLogger {
  private readonly pipeline: AuditPipeline;
  private readonly input: InputCoercer;
  private readonly performance = new PerformanceTracker();
  private alerts: AlertProcessor | undefined;
  private webhooks: WebhookProcessor | undefined;
  private readonly writer: RecordWriter;
  private closing: Promise<void> | undefined;

  /** @throws AuditKeyError when integrity is on and no signing key is configured; RangeError on bad journal options. */
  constructor(options: AuditLoggerOptions = {}) {
    this.input = new InputCoercer({ ...DEFAULT_SANITIZE_LIMITS, ...(options.limits ?? {}) });
    this.pipeline = buildPipeline(options);
    this.writer = new RecordWriter(this.pipeline.logger, this.pipeline.metrics, this.pipeline.diagnostics);
    // Helpers stay callable when detached (`const { logError } = audit`): never a TypeError on `this`.
    const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of BOUND_METHODS) self[name] = (self[name] as (...args: unknown[]) => unknown).bind(this);
  }

  /** Failure counter of this logger. */
  get diagnostics(): AuditDiagnostics {
    return this.pipeline.diagnostics;
  }

  /** The LoggerProvider the helpers emit through (e.g. to add it to your own OTel setup). */
  get loggerProvider(): AuditPipeline['loggerProvider'] {
    return this.pipeline.loggerProvider;
  }

  /** The MeterProvider the instruments live on. */
  get meterProvider(): AuditPipeline['meterProvider'] {
    return this.pipeline.meterProvider;
  }

  // ---- seed logging helpers -------------------------------------------------------------

  /** A lead entered the system from `source`; `data` is kept as structured content (`orchestrator.lead.data`). */
  logLeadIngested(leadId: LeadId, source: string, data?: unknown, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const src = this.input.requiredText(source, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'lead_ingested', [ATTR.leadId]: lead, [ATTR.workflow]: wf, [ATTR.leadSource]: src };
      if (data !== undefined) attrs[ATTR.leadData] = this.input.structured(data, n);
      this.writer.write('lead_ingested', INFO, `Lead ${lead} ingested from ${src}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('lead_ingested', leadId, workflow, err);
    }
  }

  /** Qualification decision for a lead. */
  logLeadQualified(leadId: LeadId, qualified: boolean, reason?: string, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const ok = this.input.flag(qualified, n);
      const why = this.input.text(reason, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'lead_qualified', [ATTR.leadId]: lead, [ATTR.workflow]: wf, [ATTR.leadQualified]: ok, [ATTR.leadReason]: why };
      this.writer.write('lead_qualified', INFO, `Lead ${lead} ${ok ? 'qualified' : 'not qualified'}${why ? ': ' + why : ''}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('lead_qualified', leadId, workflow, err);
    }
  }

  /** A lead was routed to `destination` because of `condition`. */
  logLeadRouted(leadId: LeadId, destination: string, condition?: string, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const dest = this.input.requiredText(destination, n);
      const cond = this.input.text(condition, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'lead_routed', [ATTR.leadId]: lead, [ATTR.workflow]: wf, [ATTR.routeDestination]: dest, [ATTR.routeCondition]: cond };
      this.writer.write('lead_routed', INFO, `Lead ${lead} routed to ${dest}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('lead_routed', leadId, workflow, err);
    }
  }

  /** A CRM record `crmId` of system `crmType` was created for the lead. */
  logCrmCreate(leadId: LeadId, crmId: string | number, crmType: string, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const id = this.input.id(crmId, n);
      const type = this.input.requiredText(crmType, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'crm_create', [ATTR.leadId]: lead, [ATTR.workflow]: wf, [ATTR.crmId]: id, [ATTR.crmType]: type };
      this.writer.write('crm_create', INFO, `CRM ${type} record ${id} created for lead ${lead}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('crm_create', leadId, workflow, err);
    }
  }

  /** CRM record `crmId` was updated; `fields` (names, or a map of new values) is kept as structured content. */
  logCrmUpdate(leadId: LeadId, crmId: string | number, fields: unknown, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const id = this.input.id(crmId, n);
      const changed = this.input.structured(fields, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'crm_update', [ATTR.leadId]: lead, [ATTR.workflow]: wf, [ATTR.crmId]: id, [ATTR.crmFields]: changed };
      this.writer.write('crm_update', INFO, `CRM record ${id} updated for lead ${lead}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('crm_update', leadId, workflow, err);
    }
  }

  /** Step `step` of an e-mail sequence was sent to `recipient`. */
  logEmailSent(leadId: LeadId, recipient: string, subject: string, step: number, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const attrs: LogAttributes = {
        [ATTR.eventType]: 'email_sent',
        [ATTR.leadId]: lead,
        [ATTR.workflow]: wf,
        [ATTR.emailRecipient]: this.input.requiredText(recipient, n),
        [ATTR.emailSubject]: this.input.requiredText(subject, n),
        [ATTR.emailStep]: this.input.number(step, n),
      };
      this.writer.write('email_sent', INFO, `Email step ${String(attrs[ATTR.emailStep])} sent to lead ${lead}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('email_sent', leadId, workflow, err);
    }
  }

  /** An e-mail sequence of `length` messages was scheduled for `recipient`. */
  logEmailScheduled(leadId: LeadId, recipient: string, length: number, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const len = this.input.number(length, n);
      const attrs: LogAttributes = {
        [ATTR.eventType]: 'email_scheduled',
        [ATTR.leadId]: lead,
        [ATTR.workflow]: wf,
        [ATTR.emailRecipient]: this.input.requiredText(recipient, n),
        [ATTR.emailSequenceLength]: len,
      };
      this.writer.write('email_scheduled', INFO, `Email sequence of ${String(len)} scheduled for lead ${lead}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('email_scheduled', leadId, workflow, err);
    }
  }

  /** The e-mail sequence to `recipient` was cancelled. */
  logEmailCancelled(leadId: LeadId, recipient: string, reason?: string, workflow?: string): void {
    const n = new InputIssues();
    try {
      const lead = this.input.id(leadId, n);
      const wf = this.input.workflow(workflow, n);
      const why = this.input.text(reason, n);
      const attrs: LogAttributes = {
        [ATTR.eventType]: 'email_cancelled',
        [ATTR.leadId]: lead,
        [ATTR.workflow]: wf,
        [ATTR.emailRecipient]: this.input.requiredText(recipient, n),
        [ATTR.emailReason]: why,
      };
      this.writer.write('email_cancelled', INFO, `Email sequence cancelled for lead ${lead}${why ? ': ' + why : ''}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('email_cancelled', leadId, workflow, err);
    }
  }

  /** Workflow `workflow` started. */
  logWorkflowStarted(workflow: string): void {
    const n = new InputIssues();
    try {
      const wf = this.input.workflow(workflow, n);
      this.writer.write('workflow_started', INFO, `Workflow ${wf} started`, { [ATTR.eventType]: 'workflow_started', [ATTR.workflow]: wf }, wf, n);
    } catch (err) {
      this.writer.fallback('workflow_started', undefined, workflow, err);
    }
  }

  /** Workflow `workflow` stopped because of `reason`. */
  logWorkflowStopped(workflow: string, reason?: string): void {
    const n = new InputIssues();
    try {
      const wf = this.input.workflow(workflow, n);
      const why = this.input.text(reason, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'workflow_stopped', [ATTR.workflow]: wf, [ATTR.workflowReason]: why };
      this.writer.write('workflow_stopped', INFO, `Workflow ${wf} stopped${why ? ': ' + why : ''}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('workflow_stopped', undefined, workflow, err);
    }
  }

  /** An error of `type` (severity ERROR; also counted in `orchestrator.audit.errors`). */
  logError(type: string, message: string, leadId?: LeadId, workflow?: string, traceback?: string): void {
    const n = new InputIssues();
    try {
      const errorType = this.input.id(type, n);
      const wf = this.input.workflow(workflow, n);
      const text = this.input.requiredText(message, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'error', [ATTR.workflow]: wf, [ATTR.errorType]: errorType, [ATTR.errorMessage]: text };
      if (leadId !== undefined && leadId !== null) attrs[ATTR.leadId] = this.input.id(leadId, n);
      const tb = this.input.optionalText(traceback, n);
      if (tb !== undefined) attrs[ATTR.errorTraceback] = tb;
      this.pipeline.metrics.error(errorType, wf);
      this.writer.write('error', ERROR, `${errorType}: ${text}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('error', leadId, workflow, err);
    }
  }

  /**
   * A custom event type (event name `orchestrator.custom.<type>`, or the seed name for a seed
   * type). `fields` is kept as structured content in `orchestrator.fields`; its `leadId` and
   * `workflow` also become the standard attributes. Type `error` is logged with severity ERROR.
   */
  logEvent(type: string, fields: CustomEventFields = {}): void {
    const n = new InputIssues();
    try {
      const eventType = this.input.id(type, n);
      const f = (typeof fields === 'object' && fields !== null ? fields : { value: fields }) as CustomEventFields;
      const wf = this.input.workflow(f.workflow, n);
      const attrs: LogAttributes = { [ATTR.eventType]: eventType, [ATTR.workflow]: wf, [ATTR.customFields]: this.input.structured(f, n) };
      if (f.leadId !== undefined && f.leadId !== null) attrs[ATTR.leadId] = this.input.id(f.leadId, n);
      const isError = eventType === 'error';
      if (isError) this.pipeline.metrics.error(UNKNOWN, wf);
      this.writer.write(eventType, isError ? ERROR : INFO, `Event ${eventType}`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback(typeof type === 'string' ? type : UNKNOWN, undefined, undefined, err);
    }
  }

  // ---- performance ----------------------------------------------------------------------

  /**
   * Records that operation `name` took `seconds`: one `performance` record, one sample of the
   * `orchestrator.operation.duration` histogram, and the in-process statistics.
   */
  trackPerformance(name: string, seconds: number, workflow?: string): void {
    const n = new InputIssues();
    try {
      const op = this.input.id(name, n);
      const wf = this.input.workflow(workflow, n);
      const value = this.input.number(seconds, n);
      const attrs: LogAttributes = { [ATTR.eventType]: 'performance', [ATTR.workflow]: wf, [ATTR.operation]: op, [ATTR.durationSeconds]: value };
      if (typeof value === 'number' && value >= 0) {
        this.pipeline.metrics.durationSample(op, wf, value);
        if (!this.performance.add(op, value)) this.diagnostics.count(LOGGER_FAILURE.sample, 'too many operation names tracked in process');
      } else if (typeof value === 'number') {
        n.add('negative-duration');
      }
      this.writer.write('performance', INFO, `${op} took ${String(value)}s`, attrs, wf, n);
    } catch (err) {
      this.writer.fallback('performance', undefined, workflow, err);
    }
  }

  /**
   * Runs `fn` and records its duration as operation `name` (also when it throws or its promise
   * rejects). Returns what `fn` returns (for a promise: a promise of the same value) and rethrows
   * the same error unchanged.
   */
  track<T>(name: string, fn: () => T, workflow?: string): T {
    return trackCall(fn, (seconds) => this.trackPerformance(name, seconds, workflow));
  }

  /** Duration statistics per operation (seconds) from this process: exact count/min/max/avg, p50/p95/p99 within 1 %. */
  getPerformanceStats(name?: string): PerformanceReport {
    return this.performance.report(name);
  }

  // ---- queries (journal) ----------------------------------------------------------------

  /** Events matching `filter`, read from the journal (rejects when no journal is configured). */
  queryEvents(filter: EventFilter = {}): Promise<AuditEvent[]> {
    return this.withJournal((q) => q.queryEvents(filter));
  }

  /** Every event of a lead, in chronological order, read from the journal. */
  getLeadHistory(leadId: LeadId): Promise<AuditEvent[]> {
    return this.withJournal((q) => q.getLeadHistory(String(leadId)));
  }

  /** Totals from the journal (seed `get_statistics`), optionally for one workflow. */
  getStatistics(options: { readonly workflow?: string } = {}): Promise<AuditStatistics> {
    return this.withJournal((q) => q.getStatistics(options));
  }

  // ---- alerts, webhooks, compliance -----------------------------------------------------

  /** Configures error-burst alerts (seed `configure_alerts`); throws `TypeError` on invalid URLs. */
  configureAlerts(config: AlertConfig): void {
    this.alertProcessor().configure(config);
  }

  /** Custom alert handlers; push functions into it (seed `alert_handlers.append(fn)`). */
  get alertHandlers(): AlertHandler[] {
    return this.alertProcessor().handlers;
  }

  /** Streams every signed record to `url` (seed `add_webhook`); throws `TypeError` on an invalid or duplicate URL. */
  addWebhook(url: string, options: WebhookOptions = {}): void {
    if (!this.webhooks) {
      this.webhooks = new WebhookProcessor({ diagnostics: this.diagnostics });
      this.pipeline.sinks.add(this.webhooks);
    }
    this.webhooks.add(url, options);
  }

  /** Seed `enable_compliance_mode`: turns PII anonymization on (default) or off for records emitted from now on. */
  enableComplianceMode(options: { readonly anonymizePii?: boolean } = {}): void {
    this.pipeline.pii.setAnonymizing(options.anonymizePii ?? true);
  }

  /** Failure counts and pipeline state. */
  getDiagnostics(): AuditLoggerDiagnostics {
    return {
      failures: this.diagnostics.snapshot(),
      totalFailures: this.diagnostics.total(),
      eventsEmitted: this.writer.emitted,
      streamId: this.pipeline.signing.streamId,
      head: this.pipeline.signing.head(),
      anonymizingPii: this.pipeline.pii.anonymizing,
      ...(this.pipeline.shipper ? { shipping: this.pipeline.shipper.status() } : {}),
    };
  }

  // ---- lifecycle ------------------------------------------------------------------------

  /** True once `shutdown()` was called (helpers then only count `logger.after-shutdown`). */
  get isShutDown(): boolean {
    return this.closing !== undefined;
  }

  /** Exports everything buffered (journal, OTLP, webhooks) and collects metrics. */
  async forceFlush(): Promise<void> {
    await this.pipeline.loggerProvider.forceFlush();
    await this.pipeline.meterProvider.forceFlush();
  }

  /** Writes the shutdown seal, then flushes and shuts down the providers and sinks. Idempotent. */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.writer.closed = true;
      // the signing processor is bound to the provider: its shutdown writes the seal first
      await this.pipeline.loggerProvider.shutdown();
      if (this.pipeline.ownsMeterProvider) await this.pipeline.meterProvider.shutdown();
      else await this.pipeline.meterProvider.forceFlush();
      await this.pipeline.journal?.idle();
    })();
    return this.closing;
  }

  // ---- internals ------------------------------------------------------------------------

  private withJournal<T>(run: (query: NonNullable<AuditPipeline['journal']>['query']) => Promise<T>): Promise<T> {
    const journal = this.pipeline.journal;
    if (!journal) {
      return Promise.reject(new Error('no journal configured: create the AuditLogger with `auditFile` (or AUDIT_FILE) to query events'));
    }
    return run(journal.query);
  }

  private alertProcessor(): AlertProcessor {
    if (!this.alerts) {
      this.alerts = new AlertProcessor({ diagnostics: this.diagnostics });
      this.pipeline.sinks.add(this.alerts);
    }
    return this.alerts;
  }
}
