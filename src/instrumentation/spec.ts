/**
 * The audit spec of instrumented functions: which audit event a function stands for and where its
 * lead id, workflow and helper arguments come from. Shared by `instrument()`, the decorators and
 * the zero-code instrumentation (whose JSON config holds the same shape with path strings only).
 */
import type { Tracer } from '@opentelemetry/api';
import type { AuditLogger } from '../logger/audit-logger.js';

/** What an extractor sees about one call. */
export interface CallContext {
  /** The call's arguments. */
  readonly args: readonly unknown[];
  /** The return value (resolved value for promises, return value for async generators); undefined on error. */
  readonly result?: unknown;
  /** The call's `this`. */
  readonly this?: unknown;
  /** What was thrown / rejected (only when the call failed). */
  readonly error?: unknown;
}

/**
 * Where a value comes from: a path string rooted at `args`, `result`, `this` or `error`
 * (e.g. `'args.0.id'`, `'result.qualified'`, `'this.workflow'`), a function of the call, or a
 * constant `{ const: value }`.
 */
export type Extractor = string | ((call: CallContext) => unknown) | { readonly const: unknown };

/** Whether a function is a workflow run (a root span) or a step (a child span of the active one). */
export type CallKind = 'run' | 'step';

/** The audit spec of one function. */
export interface CallAuditSpec {
  /**
   * Audit event type written when the call completes: a seed type (`lead_ingested`,
   * `lead_qualified`, `lead_routed`, `crm_create`, `crm_update`, `email_sent`, `email_scheduled`,
   * `email_cancelled`, `workflow_started`, `workflow_stopped`) calls the matching AuditLogger
   * helper; any other type goes through `logEvent(type, { leadId, workflow, ...fields })`.
   * Leave out for a span/duration/error-only function (e.g. a workflow run).
   */
  readonly event?: string;
  /** Lead id; with several extractors the first defined value wins (e.g. `['result.id', 'args.0.leadId']`). */
  readonly leadId?: Extractor | readonly Extractor[];
  /** Literal workflow name (default: the options' workflow). */
  readonly workflow?: string;
  /** Workflow name taken from the call (wins over `workflow` when defined). */
  readonly workflowFrom?: Extractor;
  /** Helper arguments by their AuditLogger parameter name (see {@link HELPER_PARAMETERS}), or custom fields. */
  readonly fields?: Readonly<Record<string, Extractor>>;
  /** Operation name of the `orchestrator.operation.duration` histogram (via `trackPerformance`); no duration when left out. */
  readonly operation?: string;
  /** `run` = root span of a workflow run; `step` (default) = child span. */
  readonly kind?: CallKind;
  /** Span name (default: `operation`, else `event`, else the function name). */
  readonly spanName?: string;
}

/** Specs by function (method) name. */
export type InstrumentSpec = Readonly<Record<string, CallAuditSpec>>;

/** Options shared by every instrumentation style. */
export interface InstrumentOptions {
  /** The AuditLogger, or a getter called at each call (default: `getAuditLogger()`). */
  readonly audit?: AuditLogger | (() => AuditLogger);
  /** Default workflow name of the events (default: the helpers' default). */
  readonly workflow?: string;
  /** Tracer of the run/step spans (default: `trace.getTracer('orchestrator-audit-otel')` at call time). */
  readonly tracer?: Tracer;
}

/** Parameter names of each seed helper after the lead id (the `fields` keys the helper reads, in order). */
export const HELPER_PARAMETERS = {
  lead_ingested: ['source', 'data'],
  lead_qualified: ['qualified', 'reason'],
  lead_routed: ['destination', 'condition'],
  crm_create: ['crmId', 'crmType'],
  crm_update: ['crmId', 'fields'],
  email_sent: ['recipient', 'subject', 'step'],
  email_scheduled: ['recipient', 'length'],
  email_cancelled: ['recipient', 'reason'],
  workflow_started: [],
  workflow_stopped: ['reason'],
} as const satisfies Record<string, readonly string[]>;

/** A seed event type with its own helper. */
export type SeedEventType = keyof typeof HELPER_PARAMETERS;
