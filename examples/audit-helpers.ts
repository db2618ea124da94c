/**
 * The AuditLogger helpers the hand-instrumented demo calls (seed names, camelCased, seed argument
 * order). `AuditLogger` from the SDK satisfies this; tests pass an in-memory recorder.
 */

/** The subset of `AuditLogger` the demo uses. */
export interface DemoAudit {
  logLeadIngested(leadId: string, source: string, data: unknown, workflow: string): void;
  logLeadQualified(leadId: string, qualified: boolean, reason: string, workflow: string): void;
  logLeadRouted(leadId: string, destination: string, condition: string, workflow: string): void;
  logCrmCreate(leadId: string, crmId: string, crmType: string, workflow: string): void;
  logCrmUpdate(leadId: string, crmId: string, fields: Record<string, unknown>, workflow: string): void;
  logEmailSent(leadId: string, recipient: string, subject: string, step: number, workflow: string): void;
  logEmailScheduled(leadId: string, recipient: string, length: number, workflow: string): void;
  logEmailCancelled(leadId: string, recipient: string, reason: string, workflow: string): void;
  logWorkflowStarted(workflow: string): void;
  logWorkflowStopped(workflow: string, reason: string): void;
  logError(errorType: string, message: string, leadId: string | undefined, workflow: string, traceback?: string): void;
  /** Measures `fn` (sync or async) under operation `name`, rethrowing its error unchanged. */
  track<T>(name: string, fn: () => T, workflow?: string): T;
}
