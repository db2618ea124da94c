/**
 * The sales workflow's steps as one object. The default implementation calls each module's
 * functions through its namespace (or service instance) at call time, so wrapping a namespace with
 * `instrument()`, or an instrumentation patching the module's exports or a class prototype,
 * changes behaviour without editing this file. One step = one audit event type.
 */
import * as crmModule from './crm.js';
import * as emailModule from './email.js';
import type { CancelledSequence, EmailSequence, SentEmail, SequenceTemplate } from './email.js';
import type { CrmContact, CrmUpdate } from './crm.js';
import * as intake from './intake.js';
import type { Lead } from './intake.js';
import type { LeadSubmission } from './lead-source.js';
import type { LatencyRange } from './latency.js';
import * as lifecycle from './lifecycle.js';
import type { WorkflowRun } from './lifecycle.js';
import * as qualification from './qualify.js';
import type { Qualification } from './qualify.js';
import { SeededRandom } from './random.js';
import * as routing from './route.js';
import type { Route } from './route.js';

/** Every step of the sales workflow (event type in brackets). */
export interface SalesSteps {
  /** [workflow_started] */
  startWorkflow(workflow: string): WorkflowRun;
  /** [workflow_stopped] */
  stopWorkflow(workflow: string, reason: string): WorkflowRun;
  /** [lead_ingested] */
  ingestLead(submission: LeadSubmission): Lead;
  /** [lead_qualified]; throws LeadValidationError [error]. */
  qualifyLead(lead: Lead): Qualification;
  /** [lead_routed] */
  routeLead(lead: Lead, qualification: Qualification): Route;
  /** [crm_create]; throws CrmTransientError now and then [error]. */
  createContact(lead: Lead): Promise<CrmContact>;
  /** [crm_update]; throws CrmTransientError now and then [error]. */
  updateContact(lead: Lead, crmId: string, fields: Readonly<Record<string, string | number>>): Promise<CrmUpdate>;
  /** [email_scheduled] */
  scheduleSequence(lead: Lead, template: SequenceTemplate): Promise<EmailSequence>;
  /** [email_sent]; throws EmailBounced [error]. */
  sendStep(lead: Lead, sequence: EmailSequence, step: number): Promise<SentEmail>;
  /** [email_cancelled] */
  cancelSequence(lead: Lead, sequence: EmailSequence, reason: string): Promise<CancelledSequence>;
}

/** The modules and service instances the steps call. */
export interface SalesModules {
  readonly intake: Pick<typeof intake, 'ingestLead'>;
  readonly qualification: Pick<typeof qualification, 'qualifyLead'>;
  readonly routing: Pick<typeof routing, 'routeLead'>;
  readonly lifecycle: Pick<typeof lifecycle, 'startWorkflow' | 'stopWorkflow'>;
  readonly crm: Pick<crmModule.FakeCrmClient, 'createContact' | 'updateContact'>;
  readonly email: Pick<emailModule.EmailSequencer, 'scheduleSequence' | 'sendStep' | 'cancelSequence' | 'hasReplied'>;
}

/** How the fake services behave. */
export interface ServiceOptions {
  /** Seed of every random decision (failures, bounces, replies). */
  readonly seed: string | number;
  /** Simulated latency of CRM and email calls (default none). */
  readonly latencyMs?: LatencyRange;
  /** CRM transient failure rate per call (default 0.06). */
  readonly crmFailureRate?: number;
  /** Email bounce rate per send (default 0.04). */
  readonly bounceRate?: number;
}

/** The real modules plus fresh service instances seeded from `options.seed`. */
export function createSalesModules(options: ServiceOptions): SalesModules {
  const random = new SeededRandom(options.seed);
  return {
    intake,
    qualification,
    routing,
    lifecycle,
    crm: new crmModule.FakeCrmClient({
      random: random.fork('crm'),
      ...(options.crmFailureRate !== undefined ? { failureRate: options.crmFailureRate } : {}),
      ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    }),
    email: new emailModule.EmailSequencer({
      random: random.fork('email'),
      ...(options.bounceRate !== undefined ? { bounceRate: options.bounceRate } : {}),
      ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    }),
  };
}

/** Steps that call `modules` at call time (no audit calls). */
export function salesStepsOf(modules: SalesModules): SalesSteps {
  return {
    startWorkflow: (workflow) => modules.lifecycle.startWorkflow(workflow),
    stopWorkflow: (workflow, reason) => modules.lifecycle.stopWorkflow(workflow, reason),
    ingestLead: (submission) => modules.intake.ingestLead(submission),
    qualifyLead: (lead) => modules.qualification.qualifyLead(lead),
    routeLead: (lead, q) => modules.routing.routeLead(lead, q),
    createContact: (lead) => modules.crm.createContact(lead),
    updateContact: (lead, crmId, fields) => modules.crm.updateContact(lead, crmId, fields),
    scheduleSequence: (lead, template) => modules.email.scheduleSequence(lead, template),
    sendStep: (lead, sequence, step) => modules.email.sendStep(lead, sequence, step),
    cancelSequence: (lead, sequence, reason) => modules.email.cancelSequence(lead, sequence, reason),
  };
}
