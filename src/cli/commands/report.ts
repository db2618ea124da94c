/** `audit-cli report`: writes the self-contained daily and/or weekly HTML report. */
import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_REPORT_DIR, generateReport, reportFileName } from '../../reports/generate.js';
import type { ReportPeriod } from '../../reports/report-data.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import type { IntegritySummary } from '../../verify/integrity-summary.js';
import { verifySource } from '../integrity-runner.js';
import { examples, withJson } from '../options.js';
import { errorText } from '../../events/error-text.js';

/** Builds the `report` command. */
export function reportCommand(ctx: CliContext): Command {
  return withJson(new Command('report'))
    .description('write the daily and/or weekly HTML report (self-contained, opens offline)')
    .option('--daily', 'the last 24 hours, per hour')
    .option('--weekly', 'the last 7 days, per day')
    .option(
      '-o, --output <path>',
      `directory (default ${DEFAULT_REPORT_DIR}/), or an .html file when one period is asked`,
    )
    .option('--no-integrity', 'do not verify the journal for the integrity section')
    .addHelpText(
      'after',
      examples(
        'report',
        'report --daily',
        'report --weekly --output /srv/www/audit/',
        'report --daily --output today.html',
      ) +
        `\nWithout --daily/--weekly both are written: ${DEFAULT_REPORT_DIR}/${reportFileName('daily')} and ${DEFAULT_REPORT_DIR}/${reportFileName('weekly')}.\n`,
    )
    .action(
      async (
        opts: { daily?: boolean; weekly?: boolean; output?: string; integrity: boolean; json?: boolean },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const periods: ReportPeriod[] = [];
        if (opts.daily) periods.push('daily');
        if (opts.weekly) periods.push('weekly');
        if (periods.length === 0) periods.push('daily', 'weekly');
        const output = opts.output ?? DEFAULT_REPORT_DIR;
        const toFile = output.toLowerCase().endsWith('.html');
        if (toFile && periods.length > 1)
          throw new CliError('--output FILE.html needs exactly one of --daily or --weekly (give a directory for both)');
        const now = ctx.now();
        const written = await ctx.withSource(globals, 'Reading', async (source) => {
          let integrity: IntegritySummary | undefined;
          let integrityUnavailable: string | undefined;
          if (!opts.integrity) integrityUnavailable = 'Integrity verification was skipped (--no-integrity).';
          else {
            try {
              integrity = await verifySource(ctx.sourceSettings(globals), { env: ctx.io.env, now });
            } catch (err) {
              integrityUnavailable = `Integrity could not be verified: ${errorText(err)}`;
            }
          }
          const results = [];
          for (const period of periods) {
            const file = ctx.resolvePath(toFile ? output : path.join(output, reportFileName(period)));
            results.push(
              await generateReport(source.query, {
                period,
                output: file,
                now,
                sourceLabel: source.description,
                ...(integrity ? { integrity } : {}),
                ...(integrityUnavailable !== undefined ? { integrityUnavailable } : {}),
              }),
            );
          }
          return results;
        });
        if (opts.json) {
          return ctx.json({
            reports: written.map((r) => ({
              period: r.data.period,
              path: r.path,
              bytes: r.bytes,
              from: r.data.from,
              to: r.data.to,
              totals: r.data.totals,
              integrity: r.data.integrity?.status ?? 'not-verified',
            })),
          });
        }
        for (const r of written) {
          ctx.out(
            `Wrote ${r.data.period} report: ${r.path} (${r.data.totals.events} events, ${r.data.totals.leads} leads, ${r.data.totals.errors} errors, integrity ${r.data.integrity?.status ?? 'not verified'})\n`,
          );
        }
      },
    );
}
