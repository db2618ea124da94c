/**
 * Timing of a sync or async call for `AuditLogger.track`: the duration is reported when the call
 * returns, throws, resolves or rejects; the result and the error pass through unchanged.
 */
import { performance } from 'node:perf_hooks';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs `fn`, calls `report(seconds)` once when it settles, and returns/rethrows what `fn` did. */
export function trackCall<T>(fn: () => T, report: (seconds: number) => void): T {
  const start = performance.now();
  const done = (): void => report((performance.now() - start) / 1000);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    done();
    throw err;
  }
  if (!isThenable(result)) {
    done();
    return result;
  }
  return result.then(
    (value) => {
      done();
      return value;
    },
    (err: unknown) => {
      done();
      throw err;
    },
  ) as T;
}
