/** `audit-cli export`: events as CSV, JSON or NDJSON, to a file or stdout, streamed. */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { JournalQuery } from '../../query/journal/journal-query.js';
import type { AuditEvent } from '../../query/types.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { CliError } from '../errors.js';
import type { OpenedSource } from '../sources.js';
import { checkCompressedSegments } from '../segment-check.js';
import { safeCsvRow } from '../format/csv-cell.js';
import { eventFilterOf, examples, withEventFilters, withTimeRange, type FilterOptions } from '../options.js';
import { errorText } from '../../events/error-text.js';

/** Export formats. */
export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'ts',
  'type',
  'event',
  'severity',
  'leadId',
  'workflow',
  'message',
  'stream',
  'seq',
  'trace',
  'span',
  'location',
  'attrs',
] as const;

type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Builds the `export` command. */
export function exportCommand(ctx: CliContext): Command {
  return withTimeRange(withEventFilters(new Command('export')))
    .description('export events (all, or filtered) as CSV, JSON or NDJSON')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('csv'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--limit <n>', 'at most n events, the most recent')
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      examples(
        'export --format csv --output data.csv',
        'export --format ndjson --last 7d > week.ndjson',
        'export --format json --lead LEAD-00001',
      ),
    )
    .action(
      async (opts: FilterOptions & { format: ExportFormat; output?: string; json?: boolean }, command: Command) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        if (opts.json) {
          if (command.getOptionValueSource('format') === 'cli' && opts.format !== 'json')
            throw new CliError(`--json conflicts with --format ${opts.format}`);
          opts = { ...opts, format: 'json' };
        }
        const filter = eventFilterOf(ctx, opts);
        const count = await ctx.withSource(globals, 'Exporting', async (source) => {
          // a streamed export writes while it reads: find a corrupt gzip segment before writing anything
          if (streams(source, filter)) await checkCompressedSegments(ctx.journalFile(globals), filter.startTime);
          const sink = opts.output !== undefined ? await openFileSink(ctx.resolvePath(opts.output)) : stdoutSink(ctx);
          try {
            const n = await writeEvents(eventsOf(source, filter), opts.format, sink.write);
            await sink.close();
            return n;
          } catch (err) {
            await sink.close().catch(() => {});
            throw err;
          }
        });
        ctx.err(
          `Exported ${count} event(s) as ${opts.format}${opts.output !== undefined ? ` to ${opts.output}` : ''}\n`,
        );
      },
    );
}

/** Events to export: streamed from a journal when no limit applies, else queried. */
async function* eventsOf(source: OpenedSource, filter: ReturnType<typeof eventFilterOf>): AsyncGenerator<AuditEvent> {
  if (streams(source, filter)) {
    yield* source.query.events(filter);
    return;
  }
  yield* await source.query.queryEvents(filter);
}

/** True when the export streams a journal (writes while reading) rather than querying first. */
function streams(
  source: OpenedSource,
  filter: ReturnType<typeof eventFilterOf>,
): source is OpenedSource & { query: JournalQuery } {
  return source.query instanceof JournalQuery && filter.limit === undefined;
}

/** Writes events in `format` through `write`; returns how many were written. */
export async function writeEvents(
  events: AsyncIterable<AuditEvent>,
  format: ExportFormat,
  write: (text: string) => Promise<void>,
): Promise<number> {
  let n = 0;
  if (format === 'csv') await write(stringify([[...CSV_COLUMNS]]));
  if (format === 'json') await write('[');
  for await (const ev of events) {
    if (format === 'csv') await write(stringify([csvRow(ev)]));
    else if (format === 'ndjson') await write(JSON.stringify(ev) + '\n');
    else await write((n > 0 ? ',\n' : '\n') + JSON.stringify(ev));
    n++;
  }
  if (format === 'json') await write(n > 0 ? '\n]\n' : ']\n');
  return n;
}

/** One event as CSV cells; cells that start like a spreadsheet formula are neutralized (`'` prefix). */
function csvRow(e: AuditEvent): (string | number)[] {
  return safeCsvRow([
    e.ts,
    e.type,
    e.event ?? '',
    e.severity ?? '',
    e.leadId ?? '',
    e.workflow ?? '',
    e.message,
    e.stream,
    e.seq,
    e.trace ?? '',
    e.span ?? '',
    e.location ?? '',
    JSON.stringify(e.attrs),
  ]);
}

interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

function stdoutSink(ctx: CliContext): Sink {
  return { write: async (t) => void ctx.out(t), close: async () => {} };
}

async function openFileSink(file: string): Promise<Sink> {
  const stream: WriteStream = createWriteStream(file);
  try {
    await once(stream, 'open');
  } catch (err) {
    throw new CliError(`cannot write export file ${file}: ${errorText(err)}`);
  }
  return {
    write: async (t) => {
      if (!stream.write(t)) await once(stream, 'drain');
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }),
  };
}
