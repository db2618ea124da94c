/** Workflow run lifecycle: marks a named workflow as running and stopped. */

/** A workflow run. */
export interface WorkflowRun {
  readonly workflow: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly reason?: string;
}

const running = new Map<string, WorkflowRun>();
let runs = 0;

/** Starts a run of `workflow`. */
export function startWorkflow(workflow: string): WorkflowRun {
  const run: WorkflowRun = { workflow, runId: `RUN-${++runs}`, startedAt: new Date().toISOString() };
  running.set(workflow, run);
  return run;
}

/** Stops the current run of `workflow`, saying why. */
export function stopWorkflow(workflow: string, reason: string): WorkflowRun {
  const run = running.get(workflow) ?? { workflow, runId: 'RUN-none', startedAt: new Date().toISOString() };
  running.delete(workflow);
  return { ...run, stoppedAt: new Date().toISOString(), reason };
}
