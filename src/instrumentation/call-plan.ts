/**
 * A compiled {@link CallAuditSpec}: extractors parsed once, and the audit calls made when an
 * instrumented call completes or fails. Extractor failures never reach the orchestrator: they are
 * counted in the logger's diagnostics (`instrumentation.extract`) and the value is left undefined.
 */
import type { AuditLogger } from '../logger/audit-logger.js';
import { compileExtractor, compileFirstDefined } from './extract.js';
import { HELPER_PARAMETERS, type CallAuditSpec, type CallContext, type CallKind, type SeedEventType } from './spec.js';
import { errorText } from '../events/error-text.js';

/** Diagnostics kinds counted by the instrumentation. */
export const INSTRUMENTATION_FAILURE = {
  extract: 'instrumentation.extract',
  audit: 'instrumentation.audit',
  /** A configured export of the zero-code instrumentation could not be patched. */
  patch: 'instrumentation.patch',
} as const;

type Getter = (call: CallContext) => unknown;

/** What the wrapper needs to audit one function. */
export interface CallPlan {
  readonly kind: CallKind;
  readonly spanName: string;
  readonly operation: string | undefined;
  /** Writes the spec's event for a completed call. */
  completed(audit: AuditLogger, call: CallContext): void;
  /** Writes the error record for a failed call (type = error name, message, lead id, workflow, stack). */
  failed(audit: AuditLogger, call: CallContext): void;
  /** The workflow of the call. */
  workflow(audit: AuditLogger, call: CallContext): string | undefined;
}

function isSeed(type: string): type is SeedEventType {
  return Object.prototype.hasOwnProperty.call(HELPER_PARAMETERS, type);
}

function safely(audit: AuditLogger, get: Getter, call: CallContext, what: string): unknown {
  try {
    return get(call);
  } catch (err) {
    audit.diagnostics.count(INSTRUMENTATION_FAILURE.extract, `${what}: ${errorText(err)}`);
    return undefined;
  }
}

/** `String(value)` that never throws (null-prototype objects, throwing `toString`, revoked proxies). */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[unprintable]';
    }
  }
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined; // a throwing getter
  }
}

/**
 * Type, message and stack of whatever was thrown, for the error record and the span. Never throws,
 * whatever the thrown value is (a null-prototype object, an error whose `message` getter throws …).
 */
export function errorParts(error: unknown): { type: string; message: string; stack: string | undefined } {
  let isError = false;
  try {
    isError = error instanceof Error;
  } catch {
    // a revoked proxy: described below
  }
  if (isError) {
    const name = read(error as object, 'name');
    const message = read(error as object, 'message');
    const stack = read(error as object, 'stack');
    return {
      type: typeof name === 'string' && name !== '' ? name : 'Error',
      message: message === undefined ? '' : safeString(message),
      stack: typeof stack === 'string' ? stack : undefined,
    };
  }
  return {
    type: (typeof error === 'object' || typeof error === 'function') && error !== null ? 'Object' : typeof error,
    message: safeString(error),
    stack: undefined,
  };
}

/** Compiles `spec` for the function named `name`; throws on a malformed path (at instrumentation time). */
export function compileCallPlan(name: string, spec: CallAuditSpec, defaultWorkflow: string | undefined): CallPlan {
  const leadGet: Getter | undefined = spec.leadId !== undefined ? compileFirstDefined(spec.leadId) : undefined;
  const workflowGet: Getter | undefined =
    spec.workflowFrom !== undefined ? compileExtractor(spec.workflowFrom) : undefined;
  const literalWorkflow = spec.workflow ?? defaultWorkflow;
  const fieldGets = Object.entries(spec.fields ?? {}).map(([key, ex]) => [key, compileExtractor(ex)] as const);
  const event = spec.event;

  const workflow = (audit: AuditLogger, call: CallContext): string | undefined => {
    const fromCall = workflowGet ? safely(audit, workflowGet, call, `${name} workflow`) : undefined;
    return fromCall !== undefined && fromCall !== null ? String(fromCall) : literalWorkflow;
  };
  const leadId = (audit: AuditLogger, call: CallContext): string | undefined => {
    const value = leadGet ? safely(audit, leadGet, call, `${name} leadId`) : undefined;
    return value === undefined || value === null ? undefined : (value as string);
  };
  const fields = (audit: AuditLogger, call: CallContext): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, get] of fieldGets) out[key] = safely(audit, get, call, `${name} ${key}`);
    return out;
  };

  return {
    kind: spec.kind ?? 'step',
    spanName: spec.spanName ?? spec.operation ?? event ?? name,
    operation: spec.operation,
    workflow,
    completed(audit, call) {
      if (event === undefined) return;
      const wf = workflow(audit, call);
      const f = fields(audit, call);
      if (!isSeed(event)) {
        const lead = leadId(audit, call);
        audit.logEvent(event, {
          ...f,
          ...(lead !== undefined ? { leadId: lead } : {}),
          ...(wf !== undefined ? { workflow: wf } : {}),
        });
        return;
      }
      const lead = leadId(audit, call) as string;
      const a = HELPER_PARAMETERS[event].map((p) => f[p]) as never[];
      switch (event) {
        case 'workflow_started':
          return audit.logWorkflowStarted(wf as string);
        case 'workflow_stopped':
          return audit.logWorkflowStopped(wf as string, a[0]);
        case 'lead_ingested':
          return audit.logLeadIngested(lead, a[0], a[1], wf);
        case 'lead_qualified':
          return audit.logLeadQualified(lead, a[0], a[1], wf);
        case 'lead_routed':
          return audit.logLeadRouted(lead, a[0], a[1], wf);
        case 'crm_create':
          return audit.logCrmCreate(lead, a[0], a[1], wf);
        case 'crm_update':
          return audit.logCrmUpdate(lead, a[0], a[1], wf);
        case 'email_sent':
          return audit.logEmailSent(lead, a[0], a[1], a[2], wf);
        case 'email_scheduled':
          return audit.logEmailScheduled(lead, a[0], a[1], wf);
        case 'email_cancelled':
          return audit.logEmailCancelled(lead, a[0], a[1], wf);
      }
    },
    failed(audit, call) {
      const e = errorParts(call.error);
      audit.logError(e.type, e.message, leadId(audit, call), workflow(audit, call), e.stack);
    },
  };
}
