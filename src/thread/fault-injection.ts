/**
 * Faults the audit worker can be made to show, so the app thread's handling of a hung or
 * crashing worker can be checked. Not part of the package's API (the package does not export this
 * module): nothing sets a fault unless code imports this file and calls {@link injectWorkerFault}.
 */

/** A fault shown by the next audit worker started. */
export type WorkerFault =
  /** The worker blocks for good (until terminated) when it receives this request. */
  | { readonly hangOn: 'flush' | 'shutdown' }
  /** The worker throws an uncaught exception once it has emitted this many records. */
  | { readonly throwAfterRecords: number };

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

/** In the worker: throws `error` outside any caller, as an uncaught exception. */
export function throwUncaught(error: Error): void {
  setImmediate(() => {
    throw error;
  });
}
