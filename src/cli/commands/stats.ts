/** `audit-cli stats`: totals, events by type and workflow, and audit failures (unreadable records). */
import { Command } from 'commander';
import type { FailureCount } from '../../events/diagnostics.js';
import type { AuditQuerySource, AuditStatistics } from '../../query/types.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { examples, withJson } from '../options.js';
import { renderKeyValues, renderTable } from '../format/table.js';
import { formatTime } from '../format/values.js';
import { scanJournalHealth, type JournalHealth } from '../journal-health.js';
import { readShipperLag, type SavedShipperLag } from '../../sinks/shipper/lag-report.js';

/** The `--json` output of `stats`. */
export interface StatsOutput extends AuditStatistics {
  readonly source: string;
  /** Lines of the journal that are not valid records (torn by a crash, edited, garbage); journal source only. */
  readonly journalHealth?: JournalHealth;
  /** How far OTLP shipping from the journal is behind, by the shipper's saved cursor (journal source, when it ships). */
  readonly shipping?: SavedShipperLag;
  /** Audit failures reported by the source (e.g. the failures metric in Prometheus), when it offers them. */
  readonly failures?: readonly Pick<FailureCount, 'kind' | 'count'>[];
}

/** A source that can also report counted audit failures (optional capability). */
interface FailureAwareSource extends AuditQuerySource {
  getAuditFailures(): Promise<readonly Pick<FailureCount, 'kind' | 'count'>[]>;
}

function hasFailures(q: AuditQuerySource): q is FailureAwareSource {
  return typeof (q as Partial<FailureAwareSource>).getAuditFailures === 'function';
}

/** Builds the `stats` command. */
export function statsCommand(ctx: CliContext): Command {
  return withJson(new Command('stats'))
    .description('show totals: events, leads processed, errors, events by type and workflow, audit failures')
    .option('--workflow <name>', 'only this workflow')
    .addHelpText(
      'after',
      examples('stats', 'stats --workflow sales', 'stats --json', '--file /var/log/orchestrator/audit.log stats'),
    )
    .action(async (opts: { workflow?: string; json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const output = await ctx.withSource(globals, 'Scanning', async (source): Promise<StatsOutput> => {
        const stats = await source.query.getStatistics(opts.workflow !== undefined ? { workflow: opts.workflow } : {});
        const journalHealth =
          source.kind === 'journal' ? await scanJournalHealth(ctx.sourceSettings(globals).file) : undefined;
        const failures = hasFailures(source.query) ? await source.query.getAuditFailures() : undefined;
        const shipping =
          source.kind === 'journal'
            ? await readShipperLag(ctx.sourceSettings(globals).file).catch(() => undefined)
            : undefined;
        return {
          source: source.description,
          ...stats,
          ...(journalHealth ? { journalHealth } : {}),
          ...(shipping ? { shipping } : {}),
          ...(failures ? { failures } : {}),
        };
      });
      if (opts.json) return ctx.json(output);
      ctx.out(renderStats(output));
    });
}

/** Readable rendering of {@link StatsOutput}. */
export function renderStats(s: StatsOutput): string {
  let text = `Audit statistics (${s.source})\n`;
  text += renderKeyValues([
    ['Total events', s.totalEvents],
    ['Leads processed', s.leadsProcessed],
    ['Errors', s.errors],
    ['First event (UTC)', formatTime(s.firstEventAt)],
    ['Last event (UTC)', formatTime(s.lastEventAt)],
  ]);
  const byType = Object.entries(s.byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (byType.length > 0) text += '\nEvents by type\n' + renderTable(['Type', 'Count'], byType);
  const byWf = Object.entries(s.byWorkflow).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (byWf.length > 0) text += '\nEvents by workflow\n' + renderTable(['Workflow', 'Count'], byWf);
  if (s.shipping) {
    text += '\nShipping to the collector (from the journal)\n';
    text += renderKeyValues([
      ['Records behind', s.shipping.recordsBehind],
      ['Seconds behind', Math.round(s.shipping.secondsBehind)],
      [
        'Last shipped',
        s.shipping.lastShipped ? `${s.shipping.lastShipped.stream} seq ${s.shipping.lastShipped.seq}` : '-',
      ],
      ['Cursor saved (UTC)', formatTime(s.shipping.cursorSavedAt)],
    ]);
    if (s.shipping.cursorFileGone)
      text += 'The cursor file named a segment no longer in the journal; counted from the oldest file.\n';
  }
  text += '\nAudit failures\n';
  const rows: [string, number][] = [];
  if (s.journalHealth) {
    rows.push(['unreadable lines (torn by a crash)', s.journalHealth.tornLines]);
    rows.push(['unreadable lines (not a valid record)', s.journalHealth.malformedLines]);
  }
  for (const f of s.failures ?? []) rows.push([f.kind, f.count]);
  text += rows.length > 0 ? renderTable(['Failure', 'Count'], rows) : 'not reported by this source\n';
  if (s.journalHealth && s.journalHealth.tornLines + s.journalHealth.malformedLines > 0) {
    text += 'Run `audit-cli integrity` for locations and a full verification.\n';
  }
  return text;
}
