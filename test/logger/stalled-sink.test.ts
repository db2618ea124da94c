/**
 * In process, a sink whose flush or shutdown never settles: `forceFlush()` and `shutdown()` wait
 * for it at most the sinks' bound (60 s), count it as `sink.flush` / `sink.shutdown` and resolve;
 * neither throws (the OTel SDK's own, shorter flush timeout does not cut in first). The clock is
 * Node's mock timers, so the minute passes at once.
 */
import { expect } from 'chai';
import { mock } from 'node:test';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { DEFAULT_SINK_TIMEOUT_MS } from '../../src/logger/sink-fanout.js';
import { TEST_KEY } from './fixture.js';

/** A sink whose flush and shutdown never settle. */
class StalledSink implements LogRecordProcessor {
  onEmit(): void {}
  forceFlush(): Promise<void> {
    return new Promise(() => undefined);
  }
  shutdown(): Promise<void> {
    return new Promise(() => undefined);
  }
}

/** Advances the mock clock by `ms` in steps of a second, letting pending callbacks run between them. */
async function advance(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1000) {
    mock.timers.tick(1000);
    await new Promise((resolve) => setImmediate(resolve)); // not mocked
  }
}

describe('in process: a sink whose flush or shutdown never finishes', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('forceFlush() and shutdown() resolve after the sinks bound, never throw, and count the stall', async () => {
    const audit = createAuditLogger({
      signingKey: TEST_KEY,
      env: {},
      sealIntervalMs: 0,
      processors: [new StalledSink()],
    });
    audit.logLeadIngested('L-1', 'web', {}, 'wf');
    let flushed: 'pending' | 'resolved' | Error = 'pending';
    audit.forceFlush().then(
      () => (flushed = 'resolved'),
      (err: Error) => (flushed = err),
    );
    await advance(DEFAULT_SINK_TIMEOUT_MS - 1000);
    expect(flushed, 'still waiting for the sink, within its bound').to.equal('pending');
    await advance(2000);
    expect(flushed).to.equal('resolved');
    expect(audit.diagnostics.total('sink.flush')).to.equal(1);

    let shut: 'pending' | 'resolved' | Error = 'pending';
    audit.shutdown().then(
      () => (shut = 'resolved'),
      (err: Error) => (shut = err),
    );
    await advance(DEFAULT_SINK_TIMEOUT_MS + 1000);
    expect(shut).to.equal('resolved');
    expect(audit.diagnostics.total('sink.shutdown')).to.equal(1);
  });
});
