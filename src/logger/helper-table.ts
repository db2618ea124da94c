/**
 * The AuditLogger's seed helpers as one table: for each helper its event type (named once), its
 * severity, where its lead id and workflow arguments are, and how its own arguments become
 * attributes and the record body. `AuditLogger` runs every entry through one guarded path
 * (coerce, write, or emit a minimal record when building failed), the way pino generates its
 * level methods from one table.
 */
import { SeverityNumber, type LogAttributes } from '@opentelemetry/api-logs';
import { ATTR, type AuditEventType } from '../events/semconv.js';
import { formatSeconds } from '../events/duration-text.js';
import type { InputCoercer, InputIssues } from './input.js';
import type { LeadId } from './types.js';

/** What a helper's `build` gets besides its arguments. */
export interface HelperScope {
  readonly input: InputCoercer;
  readonly issues: InputIssues;
  /** The coerced lead id (`undefined` for helpers without one, or when an optional one was not given). */
  readonly lead: string | undefined;
  /** The coerced workflow name. */
  readonly workflow: string;
  /** The record's attributes so far (event type, workflow, lead id); `build` adds its own. */
  readonly attrs: LogAttributes;
  /** The logger's metrics and in-process statistics. */
  readonly hooks: HelperHooks;
}

/** What helpers record besides their log record (one object per logger). */
export interface HelperHooks {
  /** Counts an error event in `orchestrator.audit.errors`. */
  countError(errorType: string, workflow: string): void;
  /** Records a non-negative duration sample of `operation`. */
  durationSample(operation: string, workflow: string, seconds: number): void;
}

/** One seed helper; `A` is its argument list exactly as its public signature declares it. */
export interface HelperSpec<A extends readonly unknown[]> {
  readonly type: AuditEventType;
  readonly severity: SeverityNumber;
  /** Index of the lead id argument, if the helper has one. */
  readonly leadAt?: number;
  /** The lead id may be left out (`undefined`/`null`: no lead attribute). */
  readonly leadOptional?: true;
  /** Index of the workflow argument. */
  readonly workflowAt: number;
  /** Adds the helper's own attributes to `scope.attrs`; returns the record body. */
  readonly build: (scope: HelperScope, args: A) => string;
}

const INFO = SeverityNumber.INFO;
const ERROR = SeverityNumber.ERROR;

/** `": why"` when there is a reason, else nothing. */
const suffix = (why: string): string => (why ? ': ' + why : '');

/** Every table-driven helper, by method name. */
export const HELPERS = {
  logLeadIngested: {
    type: 'lead_ingested',
    severity: INFO,
    leadAt: 0,
    workflowAt: 3,
    build: ({ input, issues, lead, attrs }, [, source, data]) => {
      const src = input.requiredText(source, issues);
      attrs[ATTR.leadSource] = src;
      if (data !== undefined) attrs[ATTR.leadData] = input.structured(data, issues);
      return `Lead ${lead} ingested from ${src}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, source: string, data?: unknown, workflow?: string]>,
  logLeadQualified: {
    type: 'lead_qualified',
    severity: INFO,
    leadAt: 0,
    workflowAt: 3,
    build: ({ input, issues, lead, attrs }, [, qualified, reason]) => {
      const ok = input.flag(qualified, issues);
      const why = input.text(reason, issues);
      attrs[ATTR.leadQualified] = ok;
      attrs[ATTR.leadReason] = why;
      return `Lead ${lead} ${ok ? 'qualified' : 'not qualified'}${suffix(why)}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, qualified: boolean, reason?: string, workflow?: string]>,
  logLeadRouted: {
    type: 'lead_routed',
    severity: INFO,
    leadAt: 0,
    workflowAt: 3,
    build: ({ input, issues, lead, attrs }, [, destination, condition]) => {
      const dest = input.requiredText(destination, issues);
      attrs[ATTR.routeDestination] = dest;
      attrs[ATTR.routeCondition] = input.text(condition, issues);
      return `Lead ${lead} routed to ${dest}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, destination: string, condition?: string, workflow?: string]>,
  logCrmCreate: {
    type: 'crm_create',
    severity: INFO,
    leadAt: 0,
    workflowAt: 3,
    build: ({ input, issues, lead, attrs }, [, crmId, crmType]) => {
      const id = input.id(crmId, issues);
      const type = input.requiredText(crmType, issues);
      attrs[ATTR.crmId] = id;
      attrs[ATTR.crmType] = type;
      return `CRM ${type} record ${id} created for lead ${lead}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, crmId: string | number, crmType: string, workflow?: string]>,
  logCrmUpdate: {
    type: 'crm_update',
    severity: INFO,
    leadAt: 0,
    workflowAt: 3,
    build: ({ input, issues, lead, attrs }, [, crmId, fields]) => {
      const id = input.id(crmId, issues);
      attrs[ATTR.crmId] = id;
      attrs[ATTR.crmFields] = input.structured(fields, issues);
      return `CRM record ${id} updated for lead ${lead}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, crmId: string | number, fields: unknown, workflow?: string]>,
  logEmailSent: {
    type: 'email_sent',
    severity: INFO,
    leadAt: 0,
    workflowAt: 4,
    build: ({ input, issues, lead, attrs }, [, recipient, subject, step]) => {
      attrs[ATTR.emailRecipient] = input.requiredText(recipient, issues);
      attrs[ATTR.emailSubject] = input.requiredText(subject, issues);
      const n = input.number(step, issues);
      attrs[ATTR.emailStep] = n;
      return `Email step ${String(n)} sent to lead ${lead}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, recipient: string, subject: string, step: number, workflow?: string]>,
  logEmailScheduled: {
    type: 'email_scheduled',
    severity: INFO,
    leadAt: 0,
    workflowAt: 3,
    build: ({ input, issues, lead, attrs }, [, recipient, length]) => {
      const len = input.number(length, issues);
      attrs[ATTR.emailRecipient] = input.requiredText(recipient, issues);
      attrs[ATTR.emailSequenceLength] = len;
      return `Email sequence of ${String(len)} scheduled for lead ${lead}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, recipient: string, length: number, workflow?: string]>,
  logEmailCancelled: {
    type: 'email_cancelled',
    severity: INFO,
    leadAt: 0,
    workflowAt: 3,
    build: ({ input, issues, lead, attrs }, [, recipient, reason]) => {
      const why = input.text(reason, issues);
      attrs[ATTR.emailRecipient] = input.requiredText(recipient, issues);
      attrs[ATTR.emailReason] = why;
      return `Email sequence cancelled for lead ${lead}${suffix(why)}`;
    },
  } satisfies HelperSpec<[leadId: LeadId, recipient: string, reason?: string, workflow?: string]>,
  logWorkflowStarted: {
    type: 'workflow_started',
    severity: INFO,
    workflowAt: 0,
    build: ({ workflow }) => `Workflow ${workflow} started`,
  } satisfies HelperSpec<[workflow: string]>,
  logWorkflowStopped: {
    type: 'workflow_stopped',
    severity: INFO,
    workflowAt: 0,
    build: ({ input, issues, workflow, attrs }, [, reason]) => {
      const why = input.text(reason, issues);
      attrs[ATTR.workflowReason] = why;
      return `Workflow ${workflow} stopped${suffix(why)}`;
    },
  } satisfies HelperSpec<[workflow: string, reason?: string]>,
  logError: {
    type: 'error',
    severity: ERROR,
    leadAt: 2,
    leadOptional: true,
    workflowAt: 3,
    build: (scope, [type, message, , , traceback]) => {
      const { input, issues, attrs } = scope;
      const errorType = input.id(type, issues);
      const text = input.requiredText(message, issues);
      attrs[ATTR.errorType] = errorType;
      attrs[ATTR.errorMessage] = text;
      const tb = input.optionalText(traceback, issues);
      if (tb !== undefined) attrs[ATTR.errorTraceback] = tb;
      scope.hooks.countError(errorType, scope.workflow);
      return `${errorType}: ${text}`;
    },
  } satisfies HelperSpec<[type: string, message: string, leadId?: LeadId, workflow?: string, traceback?: string]>,
  trackPerformance: {
    type: 'performance',
    severity: INFO,
    workflowAt: 2,
    build: (scope, [name, seconds]) => {
      const { input, issues, attrs } = scope;
      const op = input.id(name, issues);
      const value = input.number(seconds, issues);
      attrs[ATTR.operation] = op;
      attrs[ATTR.durationSeconds] = value;
      if (typeof value === 'number' && value >= 0) scope.hooks.durationSample(op, scope.workflow, value);
      else if (typeof value === 'number') issues.add('negative-duration');
      return `${op} took ${typeof value === 'number' ? formatSeconds(value) : String(value)}`;
    },
  } satisfies HelperSpec<[name: string, seconds: number, workflow?: string]>,
} as const;

/** Name of a table-driven helper. */
export type HelperName = keyof typeof HELPERS;
