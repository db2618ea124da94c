/**
 * audit-cli as a function: `runCli(argv, io)` parses the arguments, runs one command against the
 * given streams and resolves to the exit code. The binary (`main.ts`) and the tests both use it.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_AUDIT_FILE } from '../sinks/journal/options.js';
import { errorsCommand } from './commands/errors.js';
import { exportCommand } from './commands/export.js';
import { hashCommand } from './commands/hash.js';
import { integrityCommand } from './commands/integrity.js';
import { keygenCommand } from './commands/keygen.js';
import { performanceCommand } from './commands/performance.js';
import { queryCommand } from './commands/query.js';
import { reportCommand } from './commands/report.js';
import { statsCommand } from './commands/stats.js';
import { CliContext } from './context.js';
import { EXIT, toCliError } from './errors.js';
import { processIo, type CliIo } from './io.js';
import { examples } from './options.js';
import { SOURCE_KINDS } from './sources.js';

/** Builds the commander program for one run (a fresh one per run: commander keeps parse state). */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('audit-cli')
    .description('Query, verify, export and report on the tamper-evident audit trail of an automation orchestrator.')
    .version(packageVersion(), '-V, --version')
    .option('-f, --file <path>', `journal file (default: $AUDIT_FILE or ${DEFAULT_AUDIT_FILE})`)
    .addOption(
      new Option('--source <source>', 'where to read events from (default: $AUDIT_SOURCE or journal)').choices(
        SOURCE_KINDS,
      ),
    )
    .option('--loki-url <url>', 'Loki base URL for --source loki (default: $AUDIT_LOKI_URL)')
    .option('--prometheus-url <url>', 'Prometheus base URL for --source prometheus (default: $AUDIT_PROMETHEUS_URL)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      examples(
        'stats',
        'query --lead LEAD-00001',
        'query --type error --last 24h',
        'errors --limit 20',
        'performance',
        'integrity',
        'export --format csv --output data.csv',
        'report --daily',
        'hash jane@example.com',
        'keygen --out ./keys',
        'integrity --public-key ./keys/audit-seal.pub',
      ) +
        '\nExit codes: 0 success (integrity: clean), 1 tampering found, 2 only unsealed stream tails, 3 usage or I/O error.\n',
    );
  for (const make of [
    statsCommand,
    queryCommand,
    errorsCommand,
    performanceCommand,
    integrityCommand,
    exportCommand,
    reportCommand,
    hashCommand,
    keygenCommand,
  ]) {
    program.addCommand(make(ctx));
  }
  applyToAll(program, (cmd) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => ctx.out(s),
      writeErr: (s) => ctx.err(s),
      outputError: (s, write) => write(s),
    });
  });
  return program;
}

/** Runs audit-cli with `argv` (the arguments after the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end with 0; parse errors were already printed by commander
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const cliError = toCliError(err);
    ctx.err(`audit-cli: ${cliError.message}\n`);
    return cliError.exitCode;
  }
}

function applyToAll(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) applyToAll(sub, fn);
}

function packageVersion(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'orchestrator-audit-otel' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}
