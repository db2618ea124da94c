/** `audit-cli query`: events filtered by lead, type, workflow and time. */
import { Command } from 'commander';
import type { CliContext, GlobalOptions } from '../context.js';
import { renderEventTable } from '../format/events.js';
import { eventFilterOf, examples, withEventFilters, withJson, withTimeRange, type FilterOptions } from '../options.js';

/** Default `--limit` of `query`. */
export const QUERY_DEFAULT_LIMIT = 100;

/** Builds the `query` command. */
export function queryCommand(ctx: CliContext): Command {
  const cmd = withJson(withTimeRange(withEventFilters(new Command('query'))))
    .description('list events (most recent last) matching the filters')
    .option('--limit <n>', `at most n events, the most recent (default ${QUERY_DEFAULT_LIMIT})`)
    .addHelpText(
      'after',
      examples(
        'query --lead LEAD-00001',
        'query --type error',
        'query --last 24h',
        'query --workflow sales --since 2026-02-04 --until 2026-02-05 --limit 500',
        'query --lead LEAD-00001 --type email_sent --json',
      ),
    );
  return cmd.action(async (opts: FilterOptions & { json?: boolean }, command: Command) => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const filter = eventFilterOf(ctx, opts, QUERY_DEFAULT_LIMIT);
    const events = await ctx.withSource(globals, 'Querying', (s) => s.query.queryEvents(filter));
    if (opts.json) return ctx.json({ count: events.length, events });
    ctx.out(renderEventTable(events));
  });
}
