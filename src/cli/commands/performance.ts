/** `audit-cli performance`: duration statistics (count, min, avg, p50, p95, p99, max) per operation. */
import { Command } from 'commander';
import type { PerformanceReport } from '../../query/types.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { renderTable } from '../format/table.js';
import { formatSeconds } from '../format/values.js';
import { examples, withJson } from '../options.js';

/** Builds the `performance` command. */
export function performanceCommand(ctx: CliContext): Command {
  return withJson(new Command('performance'))
    .description('show duration statistics per operation: count, min, avg, p50, p95, p99, max')
    .option('--name <operation>', 'only this operation (e.g. crm_sync)')
    .addHelpText(
      'after',
      examples('performance', 'performance --name crm_sync', 'performance --json') +
        '\nUnits: the table shows each duration in the unit that fits it (850µs, 12.3ms, 1.234s, 2m05s);\n--json gives plain numbers in seconds ("unit": "seconds").\n',
    )
    .action(async (opts: { name?: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const report = await ctx.withSource(globals, 'Scanning', (s) => s.query.getPerformanceStats(opts.name));
      if (opts.json) return ctx.json({ unit: 'seconds', operations: report });
      ctx.out(renderPerformance(report, opts.name));
    });
}

/** Readable rendering of a performance report. */
export function renderPerformance(report: PerformanceReport, name?: string): string {
  const ops = Object.keys(report).sort();
  if (ops.length === 0)
    return name !== undefined ? `No performance records for operation "${name}".\n` : 'No performance records.\n';
  const rows = ops.map((op) => {
    const s = report[op]!;
    return [
      op,
      s.count,
      formatSeconds(s.min),
      formatSeconds(s.avg),
      formatSeconds(s.p50),
      formatSeconds(s.p95),
      formatSeconds(s.p99),
      formatSeconds(s.max),
    ];
  });
  return renderTable(['Operation', 'Count', 'Min', 'Avg', 'P50', 'P95', 'P99', 'Max'], rows, {
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
}
