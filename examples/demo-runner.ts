/**
 * Runs N seeded leads through the sales workflow with hand-written audit calls. Separate from the
 * command-line entry (`demo.ts`) so tests can drive it with any `DemoAudit`.
 */
import type { DemoAudit } from './audit-helpers.js';
import { auditedSalesSteps } from './audited-steps.js';
import { generateSubmissions } from './orchestrator/lead-source.js';
import type { LatencyRange } from './orchestrator/latency.js';
import { createSalesModules, salesStepsOf } from './orchestrator/steps.js';
import { runSalesWorkflow, type SalesWorkflowSummary } from './orchestrator/workflow.js';

/** Options of {@link runDemo}. */
export interface DemoRunOptions {
  /** Where audit events go. */
  readonly audit: DemoAudit;
  /** Number of leads (default 200). */
  readonly leads?: number;
  /** Seed of leads and service behaviour (default `42`). */
  readonly seed?: string | number;
  /** Workflow name (default `sales`). */
  readonly workflow?: string;
  /** Simulated CRM/email latency (default none). */
  readonly latencyMs?: LatencyRange;
}

/** Generates the leads for the seed and runs them through the audited workflow. */
export async function runDemo(options: DemoRunOptions): Promise<SalesWorkflowSummary> {
  const seed = options.seed ?? 42;
  const workflow = options.workflow ?? 'sales';
  const submissions = generateSubmissions(options.leads ?? 200, seed);
  const modules = createSalesModules({ seed, ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}) });
  const steps = auditedSalesSteps(salesStepsOf(modules), options.audit, workflow);
  return runSalesWorkflow(submissions, { workflow, modules, steps });
}
