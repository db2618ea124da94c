/**
 * The streams and environment audit-cli runs against. The binary passes the process's own;
 * tests pass in-memory ones, so every command runs in-process exactly as it does for a user.
 */

/** A text output stream (process.stdout/stderr or a test buffer). */
export interface CliOutput {
  write(text: string): unknown;
  /** True when the stream is a terminal (enables the progress bar). */
  readonly isTTY?: boolean | undefined;
  /** Terminal width in columns, when known. */
  readonly columns?: number | undefined;
}

/** Everything a CLI run reads from or writes to outside its arguments. */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Environment variables (defaults of --file, --loki-url, keys, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Current time, for `--last` and report periods. Default `new Date()`. */
  readonly now?: () => Date;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** An in-memory output capturing what is written (tests, and commands rendering to a string). */
export class BufferOutput implements CliOutput {
  private readonly chunks: string[] = [];
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  /** Everything written so far. */
  text(): string {
    return this.chunks.join('');
  }
}
