/** `audit-cli errors`: the most recent error events with their type, message, lead and workflow. */
import { Command } from 'commander';
import type { CliContext, GlobalOptions } from '../context.js';
import { errorRowOf, renderErrorTable } from '../format/events.js';
import { eventFilterOf, examples, withJson, withTimeRange, type FilterOptions } from '../options.js';

/** Default `--limit` of `errors`. */
export const ERRORS_DEFAULT_LIMIT = 20;

/** Builds the `errors` command. */
export function errorsCommand(ctx: CliContext): Command {
  return withJson(withTimeRange(new Command('errors')))
    .description('list the most recent errors (type, message, lead, workflow, time)')
    .option('--limit <n>', `at most n errors, the most recent (default ${ERRORS_DEFAULT_LIMIT})`)
    .option('--workflow <name>', 'only errors of this workflow')
    .addHelpText(
      'after',
      examples('errors', 'errors --limit 50', 'errors --last 24h --workflow sales', 'errors --json'),
    )
    .action(async (opts: FilterOptions & { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const filter = { ...eventFilterOf(ctx, opts, ERRORS_DEFAULT_LIMIT), eventType: 'error' };
      const events = await ctx.withSource(globals, 'Scanning', (s) => s.query.queryEvents(filter));
      const rows = events.map(errorRowOf);
      if (opts.json) return ctx.json({ count: rows.length, errors: rows });
      ctx.out(renderErrorTable(rows));
    });
}
