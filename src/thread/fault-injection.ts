/**
 * Faults the audit worker can be made to show, so the app thread's handling of a hung,
 * stalled or crashing worker can be checked. Not part of the package's API (the package does not export this
 * module): nothing sets a fault unless code imports this file and calls {@link injectWorkerFault}.
 */
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';

/** A fault shown by the next audit worker started. */
export type WorkerFault =
  /** The worker blocks for good (until terminated) when it receives this request. */
  | { readonly hangOn: 'flush' | 'shutdown' }
  /** The worker throws an uncaught exception once it has emitted this many records. */
  | { readonly throwAfterRecords: number }
  /**
   * The worker's pipeline gets one more sink whose `forceFlush()` or `shutdown()` never settles:
   * the worker's event loop keeps running (and it keeps showing signs of life) while that request
   * never finishes.
   */
  | { readonly stallSinkOn: 'flush' | 'shutdown' }
  /** The worker does what this request asks, then answers it with an error. */
  | { readonly failOn: 'flush' | 'shutdown' };

let next: WorkerFault | undefined;

/** Makes the next audit worker started show `fault` (`undefined` clears it). */
export function injectWorkerFault(fault: WorkerFault | undefined): void {
  next = fault;
}

/** The fault for the worker being started now, if one was injected; clears it. */
export function takeWorkerFault(): WorkerFault | undefined {
  const fault = next;
  next = undefined;
  return fault;
}

/** In the worker: blocks this thread until it is terminated, without spinning. */
export function blockForever(): void {
  const word = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(word, 0, 0);
}

/** In the worker: a sink whose flush or shutdown (as `on` says) never settles; it takes records and drops them. */
export function stalledSink(on: 'flush' | 'shutdown'): LogRecordProcessor {
  const never = (): Promise<void> => new Promise<void>(() => undefined);
  return {
    onEmit: () => undefined,
    forceFlush: () => (on === 'flush' ? never() : Promise.resolve()),
    shutdown: () => (on === 'shutdown' ? never() : Promise.resolve()),
  };
}

/** In the worker: throws `error` outside any caller, as an uncaught exception. */
export function throwUncaught(error: Error): void {
  setImmediate(() => {
    throw error;
  });
}
