/**
 * What every command gets: the I/O, the resolved global options (journal path, source, URLs)
 * and helpers to open the source with a progress bar and to write output.
 */
import path from 'node:path';
import { DEFAULT_AUDIT_FILE } from '../sinks/journal/options.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { progressFor, type ProgressReporter } from './progress.js';
import { openSource, SOURCE_KINDS, type OpenedSource, type SourceKind, type SourceSettings } from './sources.js';

/** Global options as commander parses them. */
export interface GlobalOptions {
  readonly file?: string;
  readonly source?: string;
  readonly lokiUrl?: string;
  readonly prometheusUrl?: string;
}

/** The per-run context handed to each command. */
export class CliContext {
  /** Exit code the run ends with when no error is thrown (commands such as `integrity` set it). */
  exitCode = 0;

  constructor(readonly io: CliIo) {}

  /** Current time (injectable for tests). */
  now(): Date {
    return this.io.now ? this.io.now() : new Date();
  }

  /** Writes to stdout. */
  out(text: string): void {
    this.io.stdout.write(text);
  }

  /** Writes to stderr. */
  err(text: string): void {
    this.io.stderr.write(text);
  }

  /** Writes `value` as pretty JSON on stdout (the stable `--json` output). */
  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2) + '\n');
  }

  /** Resolves a user path against the run's working directory. */
  resolvePath(p: string): string {
    return path.resolve(this.io.cwd ?? process.cwd(), p);
  }

  /** Journal path from `--file`, else `AUDIT_FILE`, else `logs/audit.log`. */
  journalFile(globals: GlobalOptions): string {
    return this.resolvePath(globals.file ?? this.io.env.AUDIT_FILE ?? DEFAULT_AUDIT_FILE);
  }

  /** The source settings from the global options and environment. */
  sourceSettings(globals: GlobalOptions): SourceSettings {
    const kind = (globals.source ?? this.io.env.AUDIT_SOURCE ?? 'journal') as SourceKind;
    if (!SOURCE_KINDS.includes(kind)) {
      throw new CliError(`invalid --source "${String(kind)}": expected one of ${SOURCE_KINDS.join(', ')}`);
    }
    const lokiUrl = globals.lokiUrl ?? this.io.env.AUDIT_LOKI_URL;
    const prometheusUrl = globals.prometheusUrl ?? this.io.env.AUDIT_PROMETHEUS_URL;
    return {
      kind,
      env: this.io.env,
      file: this.journalFile(globals),
      ...(lokiUrl ? { lokiUrl } : {}),
      ...(prometheusUrl ? { prometheusUrl } : {}),
    };
  }

  /** A progress reporter for a scan (a bar on terminals only). */
  progress(label: string): ProgressReporter {
    return progressFor(this.io, label);
  }

  /**
   * Opens the query source and runs `work` with it, showing a progress bar for journal scans;
   * the bar is removed before `work`'s result is printed.
   */
  async withSource<T>(globals: GlobalOptions, label: string, work: (source: OpenedSource) => Promise<T>): Promise<T> {
    const bar = this.progress(label);
    try {
      const source = await openSource({
        ...this.sourceSettings(globals),
        onProgress: (p) => bar.update(p.bytesRead, p.totalBytes),
      });
      return await work(source);
    } finally {
      bar.stop();
    }
  }
}
