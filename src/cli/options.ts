/** Option declarations shared by several commands (time range, filters, --json, --limit). */
import { Option, type Command } from 'commander';
import type { EventFilter } from '../query/types.js';
import type { CliContext } from './context.js';
import { parsePositiveInt, timeRangeOf } from './time-range.js';

/** Options of commands that filter events. */
export interface FilterOptions {
  readonly lead?: string;
  readonly type?: string;
  readonly workflow?: string;
  readonly last?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string;
}

/** Adds `--json`. */
export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print machine-readable JSON on stdout');
}

/** Adds `--last`, `--since`, `--until`. */
export function withTimeRange(cmd: Command): Command {
  return cmd
    .addOption(new Option('--last <duration>', 'only events of the last duration: 30m, 24h, 7d, 2w').conflicts('since'))
    .option('--since <time>', 'only events at or after this ISO-8601 time (e.g. 2026-02-04T00:00:00Z)')
    .option('--until <time>', 'only events before this ISO-8601 time');
}

/** Adds `--lead`, `--type`, `--workflow`. */
export function withEventFilters(cmd: Command): Command {
  return cmd
    .option('--lead <id>', 'only events of this lead id (lead ids are stored in clear, never pseudonymized)')
    .option('--type <type>', 'only this event type: lead_ingested, error, … or an OTel event name')
    .option('--workflow <name>', 'only events of this workflow');
}

/** Builds the {@link EventFilter} of parsed filter options; `defaultLimit` applies when `--limit` is absent. */
export function eventFilterOf(ctx: CliContext, o: FilterOptions, defaultLimit?: number): EventFilter {
  const range = timeRangeOf(o, ctx.now());
  const limit = o.limit !== undefined ? parsePositiveInt(o.limit, '--limit') : defaultLimit;
  return {
    ...(o.lead !== undefined ? { leadId: o.lead } : {}),
    ...(o.type !== undefined ? { eventType: o.type } : {}),
    ...(o.workflow !== undefined ? { workflow: o.workflow } : {}),
    ...range,
    ...(limit !== undefined ? { limit } : {}),
  };
}

/** Formats help examples (`$ audit-cli …` lines) for `addHelpText('after', …)`. */
export function examples(...lines: string[]): string {
  return '\nExamples:\n' + lines.map((l) => `  $ audit-cli ${l}`).join('\n') + '\n';
}
