/**
 * `audit-cli integrity`: verifies every record's signature and the chain of every stream, over
 * every segment of the journal (gzipped ones included) or over the records read back from Loki.
 * Exit 0 only when clean; 1 tampering; 2 only unsealed tails; 3 usage or I/O error.
 */
import { Command } from 'commander';
import type { CliContext, GlobalOptions } from '../context.js';
import { renderTable } from '../format/table.js';
import type { IntegritySummary } from '../integrity-model.js';
import { verifySource } from '../integrity-runner.js';
import { examples, withJson } from '../options.js';

/** Builds the `integrity` command. */
export function integrityCommand(ctx: CliContext): Command {
  return withJson(new Command('integrity'))
    .description('verify signatures and chains of every record; list each finding with its class and location')
    .addHelpText(
      'after',
      examples('integrity', 'integrity --json', '--file /var/log/orchestrator/audit.log integrity', '--source loki --loki-url http://127.0.0.1:3100 integrity') +
        `
Keys: AUDIT_VERIFY_KEYS / AUDIT_KEY_FILE / AUDIT_SIGNING_KEY (as for the signing processor).
Finding classes: modified, missing, inserted, reordered, unknown-key, unsigned, malformed, unsealed-tail.
Exit codes: 0 clean, 1 tampering found, 2 only unsealed stream tails (live or crashed writer), 3 usage or I/O error.
`,
    )
    .action(async (opts: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const settings = ctx.sourceSettings(globals);
      const bar = ctx.progress('Verifying');
      let summary: IntegritySummary;
      try {
        summary = await verifySource(settings, ctx.io.env, (p) => bar.update(p.bytesRead, p.totalBytes), ctx.now());
      } finally {
        bar.stop();
      }
      ctx.exitCode = summary.exitCode;
      if (opts.json) return ctx.json(summary);
      ctx.out(renderIntegrity(summary));
    });
}

const STATUS_LINE: Readonly<Record<IntegritySummary['status'], string>> = {
  clean: 'CLEAN: every record verified, every stream sealed.',
  unsealed: 'UNSEALED: no tampering found, but some streams end without a seal (writer still running, or it crashed).',
  tampered: 'TAMPERED: the audit trail was altered (see findings).',
};

/** Readable rendering of an integrity summary. */
export function renderIntegrity(s: IntegritySummary): string {
  let text = `Integrity of ${s.source}\n`;
  text += `${s.recordsRead} record(s) read${s.segments !== undefined ? ` from ${s.segments} file(s)` : ''}, ${s.recordsVerified} verified\n\n`;
  if (s.streams.length > 0) {
    text += 'Streams\n';
    text += renderTable(
      ['Stream', 'Verified', 'Seq', 'Sealed', 'Findings', 'Status'],
      s.streams.map((st) => [st.stream, st.verified, st.firstSeq !== undefined ? `${st.firstSeq}–${st.lastSeq}` : '-', st.sealed ? 'yes' : 'no', st.findings, st.status]),
    );
  }
  if (s.findings.length > 0) {
    text += '\nFindings\n';
    text += renderTable(
      ['Class', 'Location', 'Stream/seq', 'Detail'],
      s.findings.map((f) => [f.class, f.location, f.stream !== undefined ? `${f.stream}${f.seq !== undefined ? `#${f.seq}` : ''}` : '-', f.detail]),
    );
    const counts = Object.entries(s.countsByClass).map(([c, n]) => `${c}: ${n}`).join(', ');
    text += `Findings by class: ${counts}\n`;
  }
  return text + '\n' + STATUS_LINE[s.status] + '\n';
}
