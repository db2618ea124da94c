/**
 * Errors that end an audit-cli run with a message on stderr and a given exit code, and the
 * mapping of library errors (missing journal, unreadable file) to them.
 */
import { JournalNotFoundError, JournalReadError } from '../sinks/journal/errors.js';
import { errorText } from '../events/error-text.js';

/** Exit codes of audit-cli (also documented in docs/cli.md). */
export const EXIT = {
  /** Success; for `integrity`: every record verified. */
  ok: 0,
  /** `integrity`: tampering found (modified, missing, inserted, reordered, unknown key, malformed, unsigned). */
  tampered: 1,
  /** `integrity`: no tampering, but unsealed stream tails (a live or crashed writer). */
  unsealed: 2,
  /** Usage error (bad option) or I/O error (missing or unreadable journal, unavailable source). */
  usage: 3,
} as const;

/** An error that ends the run with `exitCode` and `message` printed on stderr. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** Converts whatever a command threw into a {@link CliError} with a user-facing message. */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof JournalNotFoundError) {
    const hint = err.isDirectory
      ? 'hint: --file (or AUDIT_FILE) takes the journal file, not its directory'
      : 'hint: pass the journal path with --file PATH or set AUDIT_FILE';
    return new CliError(`${err.message}\n${hint}`);
  }
  if (err instanceof JournalReadError) return new CliError(err.message);
  if (err instanceof Error && /(Query|Response|Key|Unsupported)Error$/.test(err.name)) return new CliError(err.message);
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new CliError(errorText(err));
  }
  // an unexpected error is a bug: show where it came from
  // eslint-disable-next-line no-restricted-syntax -- the stack, not only the message
  return new CliError(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : errorText(err)}`);
}
