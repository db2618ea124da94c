/**
 * The hand-instrumented demo: runs N seeded leads through the sales workflow with explicit audit
 * calls into a signed local journal, then prints what to run next.
 *
 *   npm run demo -- --leads 200 --seed 42 [--journal logs/audit.log] [--otlp http://localhost:4318]
 *                   [--webhook http://127.0.0.1:8787/events] [--latency 0-4]
 */
import { pathToFileURL } from 'node:url';
import { createAuditLogger } from '../src/logger/default-logger.js';
import { DemoHelpRequested, parseDemoArgs, type DemoArgs } from './demo-args.js';
import { resolveDemoKeys } from './demo-keys.js';
import { runDemo } from './demo-runner.js';

/** Runs the demo; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv);
  } catch (err) {
    if (err instanceof DemoHelpRequested) {
      console.log(err.message);
      return 0;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const keys = resolveDemoKeys(args.journal);
  const audit = createAuditLogger({
    auditFile: args.journal,
    serviceName: 'demo-orchestrator',
    ...(keys.keyFile ? { keyFile: keys.keyFile } : {}),
    pii: { enabled: true, mode: 'pseudonymize', key: keys.pseudonymKey },
    ...(args.otlp ? { otlp: { endpoint: args.otlp } } : {}),
  });
  console.log(`Signing key: ${keys.signingKeyOrigin}`);
  console.log(`PII: pseudonymized with the ${keys.pseudonymKeyOrigin}`);

  let alerts = 0;
  audit.configureAlerts({ errorThreshold: 10, windowSeconds: 300, cooldownSeconds: 300 });
  audit.alertHandlers.push((message) => {
    alerts++;
    console.log(`ALERT (custom handler): ${message.split('\n')[0]}`);
  });
  if (args.webhook) {
    const secret = process.env.AUDIT_WEBHOOK_SECRET;
    audit.addWebhook(args.webhook, secret ? { secret } : {});
    console.log(`Streaming events to ${args.webhook}${secret ? ' (signed with AUDIT_WEBHOOK_SECRET)' : ''}`);
  }

  console.log(`Running ${args.leads} leads (seed ${args.seed}) into ${args.journal} …`);
  const started = Date.now();
  const summary = await runDemo({ audit, leads: args.leads, seed: args.seed, latencyMs: args.latencyMs });
  await audit.shutdown();
  const seconds = (Date.now() - started) / 1000;

  console.log(`\nDone in ${seconds.toFixed(1)} s:`);
  console.log(
    `  ${summary.leads} leads: ${summary.qualified} qualified, ${summary.nurtured} nurtured, ${summary.rejected} rejected; ` +
      `${summary.crmCreated} CRM contacts (${summary.crmRetries} retries, ${summary.crmGivenUp} given up); ` +
      `${summary.emailsSent} emails sent, ${summary.sequencesCancelled} sequences cancelled (${summary.bounced} bounces); ${alerts} alert(s)`,
  );
  const diag = audit.getDiagnostics();
  console.log(
    `  ${diag.eventsEmitted} audit events in stream ${diag.streamId}; internal audit failures: ${diag.totalFailures}`,
  );
  for (const f of diag.failures) console.log(`    ${f.kind} ×${f.count}: ${f.lastDetail ?? ''}`);
  const cli = 'npx audit-cli' + (args.journal === 'logs/audit.log' ? '' : ` --file ${args.journal}`);
  console.log(`\nNext:${keys.cliEnv ? `\n  ${keys.cliEnv}` : ''}
  ${cli} stats
  ${cli} integrity
  ${cli} query --lead LEAD-00001
  ${cli} errors --limit 20
  ${cli} performance
  ${cli} report --daily`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
