/**
 * The hand-instrumented variant of the sales workflow's steps: each step calls the plain step,
 * measures it with `track()`, then writes its audit event; a step that throws writes an `error`
 * event (type = error name, message, stack) and rethrows unchanged, so the workflow's own retry and
 * cancel logic runs exactly as without auditing.
 */
import type { DemoAudit } from './audit-helpers.js';
import type { SalesSteps } from './orchestrator/steps.js';

/** Operation names used with `track()` (the duration histogram's `orchestrator.operation`). */
export const OPERATIONS = {
  ingest: 'lead.ingest',
  qualify: 'lead.qualify',
  route: 'lead.route',
  crmCreate: 'crm.create_contact',
  crmUpdate: 'crm.update_contact',
  emailSchedule: 'email.schedule_sequence',
  emailSend: 'email.send_step',
  emailCancel: 'email.cancel_sequence',
} as const;

/** Wraps `steps` with explicit audit calls for workflow `workflow`. */
export function auditedSalesSteps(steps: SalesSteps, audit: DemoAudit, workflow: string): SalesSteps {
  function recordError(err: unknown, leadId: string | undefined): never {
    const e = err instanceof Error ? err : new Error(String(err));
    audit.logError(e.name, e.message, leadId, workflow, e.stack);
    throw err;
  }
  function step<T>(operation: string, leadId: string | undefined, fn: () => T): T {
    try {
      return audit.track(operation, fn, workflow);
    } catch (err) {
      return recordError(err, leadId);
    }
  }
  async function asyncStep<T>(operation: string, leadId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await audit.track(operation, fn, workflow);
    } catch (err) {
      return recordError(err, leadId);
    }
  }

  return {
    startWorkflow(name) {
      const run = steps.startWorkflow(name);
      audit.logWorkflowStarted(name);
      return run;
    },
    stopWorkflow(name, reason) {
      const run = steps.stopWorkflow(name, reason);
      audit.logWorkflowStopped(name, reason);
      return run;
    },
    ingestLead(submission) {
      const lead = step(OPERATIONS.ingest, submission.leadId, () => steps.ingestLead(submission));
      audit.logLeadIngested(lead.id, lead.source, lead, workflow);
      return lead;
    },
    qualifyLead(lead) {
      const q = step(OPERATIONS.qualify, lead.id, () => steps.qualifyLead(lead));
      audit.logLeadQualified(lead.id, q.qualified, q.reason, workflow);
      return q;
    },
    routeLead(lead, qualification) {
      const route = step(OPERATIONS.route, lead.id, () => steps.routeLead(lead, qualification));
      audit.logLeadRouted(lead.id, route.destination, route.condition, workflow);
      return route;
    },
    async createContact(lead) {
      const contact = await asyncStep(OPERATIONS.crmCreate, lead.id, () => steps.createContact(lead));
      audit.logCrmCreate(lead.id, contact.crmId, contact.crmType, workflow);
      return contact;
    },
    async updateContact(lead, crmId, fields) {
      const update = await asyncStep(OPERATIONS.crmUpdate, lead.id, () => steps.updateContact(lead, crmId, fields));
      audit.logCrmUpdate(lead.id, update.crmId, { ...update.fields }, workflow);
      return update;
    },
    async scheduleSequence(lead, template) {
      const sequence = await asyncStep(OPERATIONS.emailSchedule, lead.id, () => steps.scheduleSequence(lead, template));
      audit.logEmailScheduled(lead.id, sequence.recipient, sequence.length, workflow);
      return sequence;
    },
    async sendStep(lead, sequence, n) {
      const sent = await asyncStep(OPERATIONS.emailSend, lead.id, () => steps.sendStep(lead, sequence, n));
      audit.logEmailSent(lead.id, sent.recipient, sent.subject, sent.step, workflow);
      return sent;
    },
    async cancelSequence(lead, sequence, reason) {
      const cancelled = await asyncStep(OPERATIONS.emailCancel, lead.id, () =>
        steps.cancelSequence(lead, sequence, reason),
      );
      audit.logEmailCancelled(lead.id, cancelled.recipient, cancelled.reason, workflow);
      return cancelled;
    },
  };
}
