/**
 * Entry point of the shipper's worker thread: the journal shipper runs here, off the
 * application's thread, so reading the journal back and encoding OTLP requests does not compete
 * with the code that logs. It reports its status and counted failures to the application thread.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { AuditDiagnostics } from '../../events/diagnostics.js';
import { SCOPE_NAME } from '../../events/semconv.js';
import { JournalLayout } from '../journal/layout.js';
import { JournalShipper } from './journal-shipper.js';
import type { LossDeclaration } from './shipper-status.js';
import { otlpLogEncoding } from './otlp-encoding.js';
import { createOtlpHttpSender } from './otlp-sender.js';
import type { FromShipperWorker, ShipperWorkerData, ToShipperWorker } from './thread-protocol.js';

/**
 * CPU time this thread has used (Linux: `/proc/thread-self/stat`, user + system, in clock ticks of
 * 10 ms); nothing elsewhere.
 */
function threadCpu(): { threadCpuMs?: number } {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    return Number.isFinite(ms) ? { threadCpuMs: ms } : {};
  } catch {
    return {};
  }
}

/** How often the worker reports its status (ms). */
const STATUS_INTERVAL_MS = 50;

const port = parentPort;
if (port) {
  const data = workerData as ShipperWorkerData;
  const post = (message: FromShipperWorker): void => port.postMessage(message);
  const diagnostics = new AuditDiagnostics();
  diagnostics.onFailure((kind, detail, times) => post({ type: 'count', kind, detail, times }));
  const tip = new Float64Array(data.tip);
  let nextLossId = 1;
  const lossAnswers = new Map<number, (outcome: LossDeclaration) => void>();
  const shipper = new JournalShipper({
    layout: new JournalLayout(data.activePath),
    sender: createOtlpHttpSender({
      url: data.otlp.logsUrl,
      headers: data.otlp.headers,
      timeoutMillis: data.otlp.timeoutMillis,
      compression: data.options.compression,
      maxSockets: data.options.maxInFlight,
    }),
    encoding: otlpLogEncoding(data.options.protocol, data.resourceAttributes, SCOPE_NAME),
    diagnostics,
    options: data.options,
    tip: () => ({ linesWritten: tip[0] as number, pendingLines: tip[1] as number }),
    declareLoss: (loss) =>
      new Promise<LossDeclaration>((resolve) => {
        const id = nextLossId++;
        lossAnswers.set(id, resolve);
        post({ type: 'declare-loss', id, loss });
      }),
  });
  const report = (): void =>
    post({
      type: 'status',
      status: { ...shipper.status(), ...threadCpu() },
      lag: shipper.lagParts(),
    });
  const timer = setInterval(report, STATUS_INTERVAL_MS);
  port.on('message', (message: ToShipperWorker) => {
    if (message.type === 'loss-declared') {
      lossAnswers.get(message.id)?.(message.outcome);
      lossAnswers.delete(message.id);
    } else if (message.type === 'drain') {
      void shipper.drain(message.timeoutMs).then((ok) => {
        report();
        post({ type: 'drained', id: message.id, ok });
      });
    } else if (message.type === 'stop') {
      void shipper.stop().then(() => {
        clearInterval(timer);
        report();
        post({ type: 'stopped' });
        port.close();
      });
    }
  });
  shipper.start();
  report();
}
