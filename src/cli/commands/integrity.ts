/**
 * `audit-cli integrity`: verifies every record's signature and the chain of every stream, over
 * every segment of the journal (gzipped ones included) or over the records read back from Loki.
 * Exit 0 only when clean; 1 tampering; 2 incomplete (unsealed tails, streams ended without
 * closing); 3 usage or I/O error; 4 only accounted loss (gaps the writer declared in signed loss
 * records). Precedence 1 > 2 > 4 > 0. See docs/cli.md.
 */
import { Command } from 'commander';
import type { CliContext, GlobalOptions } from '../context.js';
import { renderTable } from '../format/table.js';
import type { Finding, IntegritySummary } from '../../verify/integrity-summary.js';
import { linkNote } from '../../verify/report.js';
import { verifySource } from '../integrity-runner.js';
import { examples, withJson } from '../options.js';

/** Builds the `integrity` command. */
export function integrityCommand(ctx: CliContext): Command {
  return withJson(new Command('integrity'))
    .description('verify signatures and chains of every record; list each finding with its class and location')
    .addHelpText(
      'after',
      examples(
        'integrity',
        'integrity --json',
        '--file /var/log/orchestrator/audit.log integrity',
        '--source loki --loki-url http://127.0.0.1:3100 integrity',
        'integrity --witness file:/mnt/witness/audit-seals.log',
        'integrity --public-key audit-seal.pub',
        '--loki-url http://127.0.0.1:3100 integrity --witness loki',
      ) +
        `
Keys: --public-key FILE (audit-seal.pub of audit-cli keygen: records sealed with Ed25519; no secret is read),
or the HMAC keys AUDIT_VERIFY_KEYS / AUDIT_KEY_FILE / AUDIT_SIGNING_KEY (as for the signing processor).
Finding classes: modified, missing, missing-stream, inserted, reordered, unknown-key, unsigned, malformed,
witness-mismatch (tampering); unsealed-tail, unclosed (incomplete); accounted-loss (records the writer
could not write and declared in a signed loss record; not tampering).
Exit codes: 0 clean, 1 tampering found, 2 no tampering but incomplete (records after the last seal of a
running or crashed writer, a stream that ended without closing), 3 usage or I/O error, 4 nothing but
accounted loss. When several apply: 1 before 2 before 4.
`,
    )
    .option(
      '--allow-missing-head',
      'streams may start after seq 1, and the oldest stream may continue one that is absent (old segments removed without a retention record)',
    )
    .option(
      '--public-key <file>',
      'verify with this Ed25519 public key (audit-seal.pub) alone; no secret is read (repeatable: one per key pair)',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option(
      '--witness <spec>',
      'check against a witness of the seals: loki, file:PATH or an http(s) URL (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .action(
      async (
        opts: { json?: boolean; allowMissingHead?: boolean; witness?: string[]; publicKey?: string[] },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const settings = ctx.sourceSettings(globals);
        const bar = ctx.progress('Verifying');
        let summary: IntegritySummary;
        try {
          summary = await verifySource(settings, {
            env: ctx.io.env,
            onProgress: (p) => bar.update(p.bytesRead, p.totalBytes),
            now: ctx.now(),
            ...(opts.allowMissingHead ? { allowMissingHead: true } : {}),
            ...(opts.witness && opts.witness.length > 0 ? { witnesses: opts.witness } : {}),
            ...(opts.publicKey && opts.publicKey.length > 0 ? { publicKeyFiles: opts.publicKey } : {}),
          });
        } finally {
          bar.stop();
        }
        ctx.exitCode = summary.exitCode;
        if (opts.json) return ctx.json(summary);
        ctx.out(renderIntegrity(summary));
      },
    );
}

const STATUS_LINE: Readonly<Record<IntegritySummary['status'], string>> = {
  clean: 'CLEAN: every record verified; no stream ends with unsealed records.',
  unsealed:
    'UNSEALED: no tampering found, but the trail is incomplete: records after the last seal of a running writer, or streams that ended without closing (crash or cut).',
  tampered: 'TAMPERED: the audit trail was altered (see findings).',
  'accounted-loss':
    'ACCOUNTED LOSS: no tampering found; records are missing only where the writer declared in signed loss records that it could not write them (disk full, buffer overflow).',
};

/** Readable rendering of an integrity summary. */
export function renderIntegrity(s: IntegritySummary): string {
  let text = `Integrity of ${s.source}\n`;
  text += `${s.recordsRead} line(s) read${s.segments !== undefined ? ` from ${s.segments} file(s)` : ''}, ${s.recordsVerified} record(s) verified, ${s.streams.length} stream(s)\n`;
  if (s.witnesses) text += `Checked against ${s.witnesses.join(', ')}: ${s.witnessEntries ?? 0} witnessed seal(s)\n`;
  text += '\n';
  if (s.streams.length > 0) {
    text += 'Streams\n';
    // the Lost column only when a stream has records declared lost
    const withLoss = s.streams.some((st) => (st.lost ?? 0) > 0);
    const headers = [
      'Stream',
      'Records',
      'Verified',
      'Seq',
      'Sealed',
      'Continues',
      ...(withLoss ? ['Lost'] : []),
      'Findings',
      'Status',
    ];
    text += renderTable(
      headers,
      s.streams.map((st) => [
        st.stream || '(none)',
        st.records,
        st.verified,
        st.firstSeq !== undefined ? `${st.firstSeq}-${st.lastSeq}` : '-',
        st.sealed ? 'yes' : 'no',
        st.previous ? `${st.previous.stream}#${st.previous.seq}${linkNote(st.previous)}` : '-',
        ...(withLoss ? [st.lost ?? 0] : []),
        st.findings,
        st.status,
      ]),
    );
  }
  if (s.findings.length > 0) {
    text += '\nFindings\n';
    text += renderTable(
      ['Class', 'Location', 'Stream#seq', 'Detail'],
      s.findings.map((f) => [f.class, f.location, findingPosition(f), f.detail]),
    );
    if (s.findingsOmitted > 0) text += `… ${s.findingsOmitted} more finding(s) not listed\n`;
    const counts = Object.entries(s.countsByClass)
      .map(([c, n]) => `${c}: ${n}`)
      .join(', ');
    text += `Findings by class: ${counts}\n`;
  }
  if (s.tornLines.length > 0) {
    text += `\n${s.tornLines.length} torn line(s) from writes interrupted by a crash: ${s.tornLines.slice(0, 5).join(', ')}${s.tornLines.length > 5 ? ', …' : ''}\n`;
  }
  if (s.hint !== undefined)
    text += `\nHint: ${s.hint}\nKeys are read from --public-key, or from AUDIT_VERIFY_KEYS, AUDIT_KEY_FILE or AUDIT_SIGNING_KEY.\n`;
  return text + '\n' + STATUS_LINE[s.status] + '\n';
}

function findingPosition(f: Finding): string {
  if (f.stream === undefined) return '-';
  if (f.seq === undefined) return f.stream;
  return `${f.stream}#${f.seq}${f.seqTo !== undefined && f.seqTo !== f.seq ? `-${f.seqTo}` : ''}`;
}
