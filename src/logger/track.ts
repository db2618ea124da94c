/**
 * Timing of a sync or async call for `AuditLogger.track`: the duration is reported when the call
 * returns, throws, resolves or rejects; the result and the error pass through unchanged.
 */
import { performance } from 'node:perf_hooks';
import { AuditArgumentError, describeValue } from '../events/argument-error.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `fn`, calls `report(seconds)` once when it settles, and returns/rethrows what `fn` did.
 * @throws AuditArgumentError when `fn` is not a function (there is nothing to run or time).
 */
export function trackCall<T>(fn: () => T, report: (seconds: number) => void, method = 'track'): T {
  if (typeof fn !== 'function') {
    throw new AuditArgumentError(
      method,
      'fn',
      `must be the function to run and time (e.g. track('crm_sync', () => crm.sync(lead))), got ${describeValue(fn)}`,
    );
  }
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
