/**
 * The naming scheme of everything this SDK emits: log attribute keys, event names and metric
 * names. One place, so helpers, queries, dashboards and docs agree. Loki turns `.` into `_` in
 * structured metadata (`orchestrator.lead.id` → `orchestrator_lead_id`); Prometheus does the same
 * for labels and adds unit/`_total` suffixes to metric names.
 */

/** Log-record attribute keys. */
export const ATTR = {
  /** Seed event type (`lead_ingested`, `error`, …). On every record. */
  eventType: 'orchestrator.event.type',
  /** Lead id, always a string. */
  leadId: 'orchestrator.lead.id',
  /** Workflow name, always a string (`"unknown"` when the caller gave none). */
  workflow: 'orchestrator.workflow',
  leadSource: 'orchestrator.lead.source',
  leadData: 'orchestrator.lead.data',
  leadQualified: 'orchestrator.lead.qualified',
  leadReason: 'orchestrator.lead.reason',
  routeDestination: 'orchestrator.route.destination',
  routeCondition: 'orchestrator.route.condition',
  crmId: 'orchestrator.crm.id',
  crmType: 'orchestrator.crm.type',
  crmFields: 'orchestrator.crm.fields',
  emailRecipient: 'orchestrator.email.recipient',
  emailSubject: 'orchestrator.email.subject',
  emailStep: 'orchestrator.email.step',
  emailSequenceLength: 'orchestrator.email.sequence_length',
  emailReason: 'orchestrator.email.reason',
  workflowReason: 'orchestrator.workflow.reason',
  errorType: 'orchestrator.error.type',
  errorMessage: 'orchestrator.error.message',
  errorTraceback: 'orchestrator.error.traceback',
  /** Operation name of a performance record / duration sample. */
  operation: 'orchestrator.operation',
  /** Duration in seconds of a performance record. */
  durationSeconds: 'orchestrator.duration_s',
  /** Free-form fields of a custom event (`logEvent`). */
  customFields: 'orchestrator.fields',
  /** Set when the sanitizer changed the input: list of what it did (`truncated`, `circular`, …). */
  sanitized: 'audit.sanitized',
  /** Signing attributes added after signing (not part of the signed content). */
  stream: 'audit.stream',
  seq: 'audit.seq',
  sig: 'audit.sig',
  kid: 'audit.kid',
} as const;

/** Seed event types and their OTel event names. */
export const EVENT_NAMES = {
  lead_ingested: 'orchestrator.lead.ingested',
  lead_qualified: 'orchestrator.lead.qualified',
  lead_routed: 'orchestrator.lead.routed',
  crm_create: 'orchestrator.crm.created',
  crm_update: 'orchestrator.crm.updated',
  email_sent: 'orchestrator.email.sent',
  email_scheduled: 'orchestrator.email.scheduled',
  email_cancelled: 'orchestrator.email.cancelled',
  workflow_started: 'orchestrator.workflow.started',
  workflow_stopped: 'orchestrator.workflow.stopped',
  error: 'orchestrator.error',
  performance: 'orchestrator.performance',
} as const;

/** A seed event type. */
export type AuditEventType = keyof typeof EVENT_NAMES;

/** Event name prefix of custom event types given to `logEvent(type, …)`. */
export const CUSTOM_EVENT_PREFIX = 'orchestrator.custom.';

/** OTel event name for any event type, seed or custom. */
export function eventNameFor(type: string): string {
  return (EVENT_NAMES as Record<string, string>)[type] ?? CUSTOM_EVENT_PREFIX + type;
}

/** Instrumentation scope of the SDK's logger and meter. */
export const SCOPE_NAME = 'orchestrator-audit';

/** Metric instrument names (OTel). */
export const METRIC = {
  /** Counter of audit events, attributes: event type, workflow. Prometheus: `orchestrator_audit_events_total`. */
  events: 'orchestrator.audit.events',
  /** Counter of error events, attributes: error type, workflow. Prometheus: `orchestrator_audit_errors_total`. */
  errors: 'orchestrator.audit.errors',
  /** Histogram of operation durations in seconds, attributes: operation, workflow. Prometheus: `orchestrator_operation_duration_seconds`. */
  duration: 'orchestrator.operation.duration',
  /** Counter of internal audit failures (sanitized input, export failures, …), attribute `audit.failure.kind`. */
  failures: 'orchestrator.audit.failures',
  /** Counter of seal records written, attribute `audit.seal.reason`. */
  seals: 'orchestrator.audit.seals',
} as const;

/**
 * Most buckets of the duration histogram. 512 buckets keep scale 5 (32 buckets per doubling,
 * base 2^(1/32)) over any range of up to 16 doublings, e.g. 1 ms – 65 s, so quantiles read from
 * it are within 1.09 % (see `exponentialQuantileErrorBound`). The SDK default (160) would drop to
 * scale 3 (4.4 %) on a 1 ms – 5 s workload.
 */
export const DURATION_HISTOGRAM_MAX_SIZE = 512;
