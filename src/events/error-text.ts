/**
 * Error text for diagnostics details and user-facing messages: one place that turns whatever was
 * thrown (an Error, a string, anything) into text or an Error.
 */

/** The message of an Error; any other thrown value as text (`fallback`, or `'unknown error'` for `undefined`/`null`). */
export function errorText(err: unknown, fallback?: string): string {
  if (err instanceof Error) return err.message;
  if (fallback !== undefined) return fallback;
  return err === undefined || err === null ? 'unknown error' : String(err);
}

/** Like {@link errorText}, prefixed with the OS error code when the Error has one (`ENOSPC: …`). */
export function errorCodeText(err: unknown): string {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return code ? `${code}: ${errorText(err)}` : errorText(err);
}

/** The class name of an Error, else the `typeof` of the thrown value: a detail that cannot carry PII. */
export function errorKind(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

/** `err` itself when it is an Error, else an Error whose message is its text. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(errorText(err));
}
