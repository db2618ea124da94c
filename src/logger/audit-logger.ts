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
import { AlertProcessor, type AlertHandler } from '../alerts/alert-processor.js';
import { type AlertConfig } from '../alerts/alert-config.js';
import type { AuditDiagnostics } from '../events/diagnostics.js';
import { ATTR } from '../events/semconv.js';
import type { AuditEvent, AuditStatistics, EventFilter, PerformanceReport } from '../query/types.js';
import { WebhookProcessor } from '../sinks/webhooks/webhook-processor.js';
import { type WebhookOptions } from '../sinks/webhooks/options.js';
import { InputCoercer, InputIssues, UNKNOWN } from './input.js';
import type { AuditLoggerOptions } from './options.js';
import { PerformanceTracker } from './performance-tracker.js';
import { buildPipeline, type AuditCore } from './pipeline.js';
import { closePipeline, flushPipeline } from './pipeline-close.js';
import { buildThreadPipeline } from '../thread/thread-pipeline.js';
import { LOGGER_FAILURE, RecordWriter } from './record-writer.js';
import type { AuditLoggerDiagnostics, CustomEventFields, LeadId } from './types.js';
import { DEFAULT_SANITIZE_LIMITS } from '../events/sanitize.js';
import { trackCall } from './track.js';
import { checkLeadId } from '../query/filter-check.js';
import { inspect, type InspectOptions } from 'node:util';
import { HELPERS, type HelperHooks, type HelperName, type HelperSpec } from './helper-table.js';

/** Methods bound to their logger at construction (safe to pass around as callbacks). */
const BOUND_METHODS: readonly (HelperName | 'logEvent' | 'track' | 'anonymize')[] = [
  ...(Object.keys(HELPERS) as HelperName[]),
  'logEvent',
  'track',
  'anonymize',
];

/** Audit logger over an OTel LoggerProvider/MeterProvider pipeline. Create with `createAuditLogger`. */
export class AuditLogger {
  private readonly pipeline: AuditCore;
  private readonly input: InputCoercer;
  private readonly performance = new PerformanceTracker();
  private alerts: AlertProcessor | undefined;
  private webhooks: WebhookProcessor | undefined;
  private readonly writer: RecordWriter;
  private closing: Promise<void> | undefined;
  private readonly hooks: HelperHooks = {
    countError: (errorType, workflow) => this.pipeline.metrics.error(errorType, workflow),
    durationSample: (operation, workflow, seconds) => {
      this.pipeline.metrics.durationSample(operation, workflow, seconds);
      if (!this.performance.add(operation, seconds))
        this.diagnostics.count(LOGGER_FAILURE.sample, 'too many operation names tracked in process');
    },
  };

  /**
   * @throws AuditKeyError when integrity is on and no signing key is configured; RangeError on bad
   * journal options; JournalLockedError when another writer holds the journal (in thread mode too:
   * the constructor waits for the worker's start-up answer).
   */
  constructor(options: AuditLoggerOptions = {}) {
    this.pipeline = options.thread ? buildThreadPipeline(options) : buildPipeline(options);
    const pii = this.pipeline.pii;
    this.input = new InputCoercer(
      { ...DEFAULT_SANITIZE_LIMITS, ...(options.limits ?? {}) },
      (text, at) => pii.safeCut(text, at),
      (text) => pii.text(text),
    );
    this.writer = new RecordWriter(this.pipeline.logger, this.pipeline.metrics, this.pipeline.diagnostics, (text, at) =>
      pii.safeCut(text, at),
    );
    // Helpers stay callable when detached (`const { logError } = audit`): never a TypeError on `this`.
    const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of BOUND_METHODS) self[name] = (self[name] as (...args: unknown[]) => unknown).bind(this);
  }

  /** Failure counter of this logger. */
  get diagnostics(): AuditDiagnostics {
    return this.pipeline.diagnostics;
  }

  /** The LoggerProvider the helpers emit through (e.g. to add it to your own OTel setup). */
  get loggerProvider(): AuditCore['loggerProvider'] {
    return this.pipeline.loggerProvider;
  }

  /** The MeterProvider the instruments live on. */
  get meterProvider(): AuditCore['meterProvider'] {
    return this.pipeline.meterProvider;
  }

  // ---- seed logging helpers (built from HELPERS in helper-table.ts) ------------------------

  /** A lead entered the system from `source`; `data` is kept as structured content (`orchestrator.lead.data`). */
  logLeadIngested(leadId: LeadId, source: string, data?: unknown, workflow?: string): void {
    this.helper(HELPERS.logLeadIngested, [leadId, source, data, workflow]);
  }

  /** Qualification decision for a lead. */
  logLeadQualified(leadId: LeadId, qualified: boolean, reason?: string, workflow?: string): void {
    this.helper(HELPERS.logLeadQualified, [leadId, qualified, reason, workflow]);
  }

  /** A lead was routed to `destination` because of `condition`. */
  logLeadRouted(leadId: LeadId, destination: string, condition?: string, workflow?: string): void {
    this.helper(HELPERS.logLeadRouted, [leadId, destination, condition, workflow]);
  }

  /** A CRM record `crmId` of system `crmType` was created for the lead. */
  logCrmCreate(leadId: LeadId, crmId: string | number, crmType: string, workflow?: string): void {
    this.helper(HELPERS.logCrmCreate, [leadId, crmId, crmType, workflow]);
  }

  /** CRM record `crmId` was updated; `fields` (names, or a map of new values) is kept as structured content. */
  logCrmUpdate(leadId: LeadId, crmId: string | number, fields: unknown, workflow?: string): void {
    this.helper(HELPERS.logCrmUpdate, [leadId, crmId, fields, workflow]);
  }

  /** Step `step` of an e-mail sequence was sent to `recipient`. */
  logEmailSent(leadId: LeadId, recipient: string, subject: string, step: number, workflow?: string): void {
    this.helper(HELPERS.logEmailSent, [leadId, recipient, subject, step, workflow]);
  }

  /** An e-mail sequence of `length` messages was scheduled for `recipient`. */
  logEmailScheduled(leadId: LeadId, recipient: string, length: number, workflow?: string): void {
    this.helper(HELPERS.logEmailScheduled, [leadId, recipient, length, workflow]);
  }

  /** The e-mail sequence to `recipient` was cancelled. */
  logEmailCancelled(leadId: LeadId, recipient: string, reason?: string, workflow?: string): void {
    this.helper(HELPERS.logEmailCancelled, [leadId, recipient, reason, workflow]);
  }

  /** Workflow `workflow` started. */
  logWorkflowStarted(workflow: string): void {
    this.helper(HELPERS.logWorkflowStarted, [workflow]);
  }

  /** Workflow `workflow` stopped because of `reason`. */
  logWorkflowStopped(workflow: string, reason?: string): void {
    this.helper(HELPERS.logWorkflowStopped, [workflow, reason]);
  }

  /** An error of `type` (severity ERROR; also counted in `orchestrator.audit.errors`). */
  logError(type: string, message: string, leadId?: LeadId, workflow?: string, traceback?: string): void {
    this.helper(HELPERS.logError, [type, message, leadId, workflow, traceback]);
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
      const attrs: LogAttributes = {
        [ATTR.eventType]: eventType,
        [ATTR.workflow]: wf,
        [ATTR.customFields]: this.input.structured(f, n),
      };
      if (f.leadId !== undefined && f.leadId !== null) attrs[ATTR.leadId] = this.input.id(f.leadId, n);
      const isError = eventType === 'error';
      if (isError) this.pipeline.metrics.error(UNKNOWN, wf);
      this.writer.write(
        eventType,
        isError ? SeverityNumber.ERROR : SeverityNumber.INFO,
        `Event ${eventType}`,
        attrs,
        wf,
        n,
      );
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
    this.helper(HELPERS.trackPerformance, [name, seconds, workflow]);
  }

  /**
   * Runs `fn` and records its duration as operation `name` (also when it throws or its promise
   * rejects). Returns what `fn` returns (for a promise: a promise of the same value) and rethrows
   * the same error unchanged.
   */
  track<T>(name: string, fn: () => T, workflow?: string): T {
    return trackCall(fn, (seconds) => this.trackPerformance(name, seconds, workflow));
  }

  /**
   * Duration statistics per operation (seconds) from this process: exact count/min/max/avg,
   * p50/p95/p99 within 1 %. While compliance mode anonymizes PII, operations are keyed by their
   * anonymized names (also those tracked before it was turned on), and `name` is anonymized too.
   */
  getPerformanceStats(name?: string): PerformanceReport {
    // while compliance mode anonymizes, operations are kept under their anonymized names: a name
    // asked for is anonymized the same way (a raw name finds its entry, an anonymized one too)
    return this.performance.report(name === undefined ? undefined : this.anonymize(name));
  }

  // ---- queries (journal) ----------------------------------------------------------------

  /** Events matching `filter`, read from the journal (rejects when no journal is configured). */
  queryEvents(filter: EventFilter = {}): Promise<AuditEvent[]> {
    return this.withJournal((q) => q.queryEvents(filter));
  }

  /** Every event of a lead, in chronological order, read from the journal. */
  getLeadHistory(leadId: LeadId): Promise<AuditEvent[]> {
    return this.withJournal((q) => q.getLeadHistory(checkLeadId(leadId)));
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
    const on = options.anonymizePii ?? true;
    this.pipeline.pii.setAnonymizing(on);
    // operation names tracked before are renamed to their anonymized form (no raw name stays in memory)
    if (on) this.performance.rename((name) => this.anonymize(name));
  }

  /**
   * `text` with its PII replaced as in the log records while compliance mode anonymizes, else
   * `text` itself. For text sent elsewhere (the instrumentation's span status and exception
   * events use it; so can your own exports). Never throws.
   */
  anonymize(text: string): string {
    try {
      return typeof text === 'string' ? this.pipeline.pii.text(text) : text;
    } catch {
      return '[REDACTED:error]';
    }
  }

  /** Failure counts and pipeline state. */
  getDiagnostics(): AuditLoggerDiagnostics {
    const shipping = this.pipeline.shipper?.status();
    return {
      failures: this.diagnostics.snapshot(),
      totalFailures: this.diagnostics.total(),
      eventsEmitted: this.writer.emitted,
      streamId: this.pipeline.signing.streamId,
      head: this.pipeline.signing.head(),
      anonymizingPii: this.pipeline.pii.anonymizing,
      ...(shipping ? { shipping } : {}),
      ...(this.pipeline.thread ? { thread: this.pipeline.thread.stats() } : {}),
    };
  }

  // ---- lifecycle ------------------------------------------------------------------------

  /** True once `shutdown()` was called (helpers then only count `logger.after-shutdown`). */
  get isShutDown(): boolean {
    return this.closing !== undefined;
  }

  /** Exports everything buffered (journal, OTLP, webhooks) and collects metrics. Never throws; failures are counted. */
  forceFlush(): Promise<void> {
    return flushPipeline(this.pipeline, this.diagnostics);
  }

  /** Writes the shutdown seal, then flushes and shuts down the providers and sinks. Idempotent; never throws. */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.writer.closed = true;
      await closePipeline(this.pipeline, this.diagnostics);
    })();
    return this.closing;
  }

  /**
   * What `console.log(audit)` / `util.inspect` show, at any depth: a summary of the logger's
   * state. Keys, webhook secrets and headers, alert credentials and OTLP headers are never shown.
   */
  [inspect.custom](_depth: number, options: InspectOptions): string {
    const d = this.getDiagnostics();
    const journal = this.pipeline.journal?.activePath;
    const summary = {
      streamId: d.streamId,
      eventsEmitted: d.eventsEmitted,
      totalFailures: d.totalFailures,
      anonymizingPii: d.anonymizingPii,
      journal,
      webhooks: this.webhooks,
      alerts: this.alerts !== undefined,
      shutDown: this.isShutDown,
    };
    return `AuditLogger ${inspect(summary, { ...options, depth: 2 })}`;
  }

  // ---- internals ------------------------------------------------------------------------

  /**
   * Runs one table-driven helper: coerces the workflow and lead id, lets `spec.build` add the
   * helper's own attributes, writes the record; when anything in that throws, writes the
   * minimal record instead (counted as `logger.build`). Never throws.
   */
  private helper<A extends readonly unknown[]>(spec: HelperSpec<A>, args: A): void {
    const issues = new InputIssues();
    const leadArg = spec.leadAt === undefined ? undefined : args[spec.leadAt];
    const workflowArg = args[spec.workflowAt];
    try {
      const workflow = this.input.workflow(workflowArg, issues);
      const attrs: LogAttributes = { [ATTR.eventType]: spec.type, [ATTR.workflow]: workflow };
      let lead: string | undefined;
      if (spec.leadAt !== undefined && !(spec.leadOptional && (leadArg === undefined || leadArg === null))) {
        lead = this.input.id(leadArg, issues);
        attrs[ATTR.leadId] = lead;
      }
      const body = spec.build({ input: this.input, issues, lead, workflow, attrs, hooks: this.hooks }, args);
      this.writer.write(spec.type, spec.severity, body, attrs, workflow, issues);
    } catch (err) {
      this.writer.fallback(spec.type, leadArg, workflowArg, err);
    }
  }

  private withJournal<T>(run: (query: NonNullable<AuditCore['journalQuery']>) => Promise<T>): Promise<T> {
    const query = this.pipeline.journalQuery;
    if (!query) {
      return Promise.reject(
        new Error('no journal configured: create the AuditLogger with `auditFile` (or AUDIT_FILE) to query events'),
      );
    }
    try {
      return run(query);
    } catch (err) {
      return Promise.reject(err as Error); // argument errors reject like every other query failure
    }
  }

  private alertProcessor(): AlertProcessor {
    if (!this.alerts) {
      this.alerts = new AlertProcessor({ diagnostics: this.diagnostics });
      this.pipeline.sinks.add(this.alerts);
    }
    return this.alerts;
  }
}
