/**
 * OtlpLogSink against a collector that fails: real OTLP/HTTP exporter, loopback servers that
 * answer 500, hang, or close the socket. Every undelivered record is counted; flush and shutdown
 * return within their time limit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { OtlpLogSink } from '../../src/sinks/otlp.js';
import { resolveOtlpOptions, type ResolvedOtlpSinkOptions } from '../../src/sinks/otlp-options.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Records in the detail of every `otlp.*` failure ("N record(s) …"), summed. */
function recordsCounted(diagnostics: AuditDiagnostics, details: string[]): number {
  return (
    details.reduce((n, d) => n + Number(/^(\d+) record/.exec(d)?.[1] ?? 0), 0) + diagnostics.total('otlp.queue_full')
  );
}

describe('OtlpLogSink with a failing collector', function () {
  this.timeout(20000);
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function collector(handler: Handler): Promise<string> {
    const server: Server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function sinkFor(endpoint: string, tuning: Partial<ResolvedOtlpSinkOptions> = {}) {
    const diagnostics = new AuditDiagnostics();
    const details: string[] = [];
    diagnostics.onFailure((kind, detail) => {
      if (kind.startsWith('otlp.')) details.push(detail ?? '');
    });
    const resolved = {
      ...resolveOtlpOptions({ endpoint, timeoutMs: 300 })!,
      maxExportBatchSize: 5,
      scheduledDelayMillis: 20,
      ...tuning,
    };
    const sink = new OtlpLogSink(resolved, diagnostics);
    const provider = new LoggerProvider({ processors: [sink] });
    const logger = provider.getLogger('otlp-failures');
    const emit = (n: number): void => {
      for (let i = 0; i < n; i++) logger.emit({ body: `record ${i}` });
    };
    return { diagnostics, details, sink, provider, emit };
  }

  it('counts every record refused with 500 or lost to a closed socket', async () => {
    for (const handler of [
      ((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(500).end('no'));
      }) as Handler,
      ((req) => req.socket.destroy()) as Handler,
    ]) {
      const { diagnostics, details, sink, provider, emit } = sinkFor(await collector(handler));
      emit(12);
      await provider.shutdown();
      expect(sink.pendingRecords).to.equal(0);
      expect(diagnostics.total('otlp.export')).to.be.greaterThan(0);
      expect(recordsCounted(diagnostics, details)).to.equal(12);
      sink.onEmit({} as never); // a late record (another processor emitting during shutdown)
      expect(recordsCounted(diagnostics, details)).to.equal(13);
      expect(sink.pendingRecords).to.equal(0);
    }
  });

  it('shutdown returns by its deadline when the collector hangs, counting every record not delivered', async () => {
    const { diagnostics, details, sink, provider, emit } = sinkFor(await collector((req) => req.resume()), {
      shutdownTimeoutMillis: 600,
    });
    emit(60); // 12 batches; one at a time, each would wait the 300 ms request timeout (3.6 s in all)
    const started = Date.now();
    await Promise.race([provider.shutdown(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.below(1500);
    expect(recordsCounted(diagnostics, details)).to.equal(60);
    expect(sink.pendingRecords).to.equal(0);
    // what is still in flight settles later without being counted twice
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(recordsCounted(diagnostics, details)).to.equal(60);
  });

  it('forceFlush returns by the deadline too, and the records stay counted once they fail', async () => {
    const { diagnostics, details, provider, emit } = sinkFor(await collector((req) => req.resume()), {
      shutdownTimeoutMillis: 600,
    });
    emit(60);
    const started = Date.now();
    await Promise.race([provider.forceFlush(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    expect(Date.now() - started).to.be.below(1500);
    await provider.shutdown();
    expect(recordsCounted(diagnostics, details)).to.equal(60);
  });
});
