/** An in-memory DemoAudit recording the event sequence (type, lead id, key fields). */
import type { DemoAudit } from '../../examples/audit-helpers.js';

/** One recorded helper call. */
export interface RecordedEvent {
  readonly type: string;
  readonly leadId?: string;
  readonly detail?: string;
}

/** Records every helper call; `track` runs the function and counts operations. */
export class RecordingAudit implements DemoAudit {
  readonly events: RecordedEvent[] = [];
  readonly operations = new Map<string, number>();

  private push(type: string, leadId: string | undefined, detail?: string): void {
    this.events.push({
      type,
      ...(leadId !== undefined ? { leadId } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
  }

  logLeadIngested(leadId: string, source: string): void {
    this.push('lead_ingested', leadId, source);
  }
  logLeadQualified(leadId: string, qualified: boolean, reason: string): void {
    this.push('lead_qualified', leadId, `${qualified} ${reason}`);
  }
  logLeadRouted(leadId: string, destination: string): void {
    this.push('lead_routed', leadId, destination);
  }
  logCrmCreate(leadId: string, crmId: string): void {
    this.push('crm_create', leadId, crmId);
  }
  logCrmUpdate(leadId: string, crmId: string, fields: Record<string, unknown>): void {
    this.push('crm_update', leadId, `${crmId} ${JSON.stringify(fields)}`);
  }
  logEmailSent(leadId: string, _recipient: string, subject: string, step: number): void {
    this.push('email_sent', leadId, `${step} ${subject}`);
  }
  logEmailScheduled(leadId: string, _recipient: string, length: number): void {
    this.push('email_scheduled', leadId, String(length));
  }
  logEmailCancelled(leadId: string, _recipient: string, reason: string): void {
    this.push('email_cancelled', leadId, reason);
  }
  logWorkflowStarted(workflow: string): void {
    this.push('workflow_started', undefined, workflow);
  }
  logWorkflowStopped(workflow: string, reason: string): void {
    this.push('workflow_stopped', undefined, `${workflow} ${reason}`);
  }
  logError(errorType: string, message: string, leadId: string | undefined): void {
    this.push('error', leadId, `${errorType}: ${message}`);
  }
  track<T>(name: string, fn: () => T): T {
    this.operations.set(name, (this.operations.get(name) ?? 0) + 1);
    return fn();
  }
}
