/**
 * The same sales workflow and leads as `demo.ts`, with NO audit code at all: nothing from the SDK
 * is imported. It is the target of auto-instrumentation, e.g.
 *
 *   node --import orchestrator-audit-otel/register dist/examples/plain-demo.js --leads 200 --seed 42
 *
 * Same arguments as the demo (`--journal` and `--otlp` are accepted and ignored: where audit
 * records go is the instrumentation's configuration).
 */
import { pathToFileURL } from 'node:url';
import { parseDemoArgs } from './demo-args.js';
import { generateSubmissions } from './orchestrator/lead-source.js';
import { runSalesWorkflow, type SalesWorkflowSummary } from './orchestrator/workflow.js';

/** Runs the workflow for `argv` without any auditing and returns its summary. */
export async function runPlainDemo(argv: readonly string[]): Promise<SalesWorkflowSummary> {
  const args = parseDemoArgs(argv);
  const submissions = generateSubmissions(args.leads, args.seed);
  return runSalesWorkflow(submissions, { workflow: 'sales', services: { seed: args.seed, latencyMs: args.latencyMs } });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runPlainDemo(process.argv.slice(2)).then(
    (summary) => console.log(JSON.stringify(summary)),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 2;
    },
  );
}
