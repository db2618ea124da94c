/**
 * The sales workflow runner: ingest → qualify → route → CRM create/update (with retries) → email
 * sequence (send, cancel on reply or bounce). Plain business logic with no audit calls; auditing
 * comes from the steps it is given (hand-instrumented, `instrument()`-wrapped or auto-patched).
 * Leads run one after another, so the order of steps is deterministic for a seed.
 */
import type { EmailSequence } from './email.js';
import { CrmTransientError, EmailBouncedError, LeadValidationError } from './errors.js';
import type { LeadSubmission } from './lead-source.js';
import type { Lead } from './intake.js';
import { createSalesModules, salesStepsOf, type SalesModules, type SalesSteps, type ServiceOptions } from './steps.js';

/** What {@link runSalesWorkflow} needs; everything is optional. */
export interface SalesWorkflowDeps {
  /** Workflow name (default `sales`). */
  readonly workflow?: string;
  /** Modules and services; default: the real modules and services seeded from `services.seed`. */
  readonly modules?: SalesModules;
  /** Steps; default: {@link salesStepsOf}(modules). The hand-instrumented demo passes audited steps. */
  readonly steps?: SalesSteps;
  /** Service behaviour when `modules` is not given (default seed `42`). */
  readonly services?: ServiceOptions;
  /** CRM attempts per call before the lead is given up (default 3). */
  readonly crmAttempts?: number;
  /** Wait before CRM retry n is `retryDelayMs · 2^(n-1)` (default 0). */
  readonly retryDelayMs?: number;
}

/** Counters of one run. */
export interface SalesWorkflowSummary {
  readonly workflow: string;
  leads: number;
  rejected: number;
  qualified: number;
  nurtured: number;
  crmCreated: number;
  crmGivenUp: number;
  crmRetries: number;
  emailsSent: number;
  sequencesCancelled: number;
  bounced: number;
  failed: number;
}

/** Runs every submission through the workflow, one lead at a time. Never throws for a lead's failure. */
export async function runSalesWorkflow(
  submissions: readonly LeadSubmission[],
  deps: SalesWorkflowDeps = {},
): Promise<SalesWorkflowSummary> {
  const workflow = deps.workflow ?? 'sales';
  const modules = deps.modules ?? createSalesModules(deps.services ?? { seed: 42 });
  const steps = deps.steps ?? salesStepsOf(modules);
  const summary: SalesWorkflowSummary = {
    workflow,
    leads: 0,
    rejected: 0,
    qualified: 0,
    nurtured: 0,
    crmCreated: 0,
    crmGivenUp: 0,
    crmRetries: 0,
    emailsSent: 0,
    sequencesCancelled: 0,
    bounced: 0,
    failed: 0,
  };
  steps.startWorkflow(workflow);
  for (const submission of submissions) {
    summary.leads++;
    try {
      await processLead(submission, steps, modules, summary, deps);
    } catch {
      summary.failed++; // already recorded by the step that threw; go on with the next lead
    }
  }
  steps.stopWorkflow(workflow, `completed: ${summary.leads} leads processed`);
  return summary;
}

async function processLead(
  submission: LeadSubmission,
  steps: SalesSteps,
  modules: SalesModules,
  summary: SalesWorkflowSummary,
  deps: SalesWorkflowDeps,
): Promise<void> {
  const lead = steps.ingestLead(submission);
  let qualification;
  try {
    qualification = steps.qualifyLead(lead);
  } catch (err) {
    if (err instanceof LeadValidationError) {
      summary.rejected++;
      return;
    }
    throw err;
  }
  if (qualification.qualified) summary.qualified++;
  else summary.nurtured++;
  const route = steps.routeLead(lead, qualification);

  const contact = await withCrmRetries(() => steps.createContact(lead), summary, deps);
  if (!contact) return;
  summary.crmCreated++;
  const updated = await withCrmRetries(
    () =>
      steps.updateContact(lead, contact.crmId, {
        owner_team: route.destination,
        lifecycle_stage: qualification.qualified ? 'salesqualifiedlead' : 'marketingqualifiedlead',
        lead_score: qualification.score,
      }),
    summary,
    deps,
  );
  if (!updated) return;

  const sequence = await steps.scheduleSequence(lead, qualification.qualified ? 'sales-outreach' : 'nurture');
  await runSequence(lead, sequence, steps, modules, summary);
}

async function runSequence(
  lead: Lead,
  sequence: EmailSequence,
  steps: SalesSteps,
  modules: SalesModules,
  summary: SalesWorkflowSummary,
): Promise<void> {
  for (let step = 1; step <= sequence.length; step++) {
    if (step > 1 && modules.email.hasReplied(lead, sequence, step)) {
      await steps.cancelSequence(lead, sequence, 'replied');
      summary.sequencesCancelled++;
      return;
    }
    try {
      await steps.sendStep(lead, sequence, step);
      summary.emailsSent++;
    } catch (err) {
      if (!(err instanceof EmailBouncedError)) throw err;
      summary.bounced++;
      await steps.cancelSequence(lead, sequence, 'bounced');
      summary.sequencesCancelled++;
      return;
    }
  }
}

async function withCrmRetries<T>(
  call: () => Promise<T>,
  summary: SalesWorkflowSummary,
  deps: SalesWorkflowDeps,
): Promise<T | undefined> {
  const attempts = deps.crmAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof CrmTransientError)) throw err;
      if (attempt >= attempts) {
        summary.crmGivenUp++;
        return undefined;
      }
      summary.crmRetries++;
      const delay = (deps.retryDelayMs ?? 0) * 2 ** (attempt - 1);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
