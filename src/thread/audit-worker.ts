/**
 * Entry point of the audit worker thread. It loads the pipeline code and runs it; when loading
 * or building fails, the error goes back to the app thread, which is waiting for the start-up
 * answer and throws it from `createAuditLogger`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorShapeOf, type AuditWorkerData, type StartAnswer } from './protocol.js';
import { Ring, RING_WORD, WORKER_STATUS } from './ring.js';

const data = workerData as AuditWorkerData;
try {
  const { runAuditWorker } = await import('./worker-loop.js');
  if (!parentPort) throw new Error('the audit worker must run in a worker thread');
  runAuditWorker(data, parentPort);
} catch (err) {
  data.startPort.postMessage({ ok: false, error: errorShapeOf(err) } satisfies StartAnswer);
  const words = new Ring(data.ring).words;
  Atomics.store(words, RING_WORD.status, WORKER_STATUS.failed);
  Atomics.notify(words, RING_WORD.status);
}
