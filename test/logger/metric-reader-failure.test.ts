import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import { createAuditLogger } from '../../src/logger/default-logger.js';

/** A metric reader whose flush and shutdown fail, as one whose backend is gone would. */
class FailingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.reject(new Error('metrics backend down'));
  }
  protected override onShutdown(): Promise<void> {
    return Promise.reject(new Error('metrics backend down'));
  }
}

describe('a metric reader that fails', () => {
  it('is counted as otlp.metrics-export, and forceFlush and shutdown resolve', async () => {
    const audit = createAuditLogger({
      signingKey: randomBytes(32),
      env: {},
      sealIntervalMs: 0,
      metricReaders: [new FailingReader()],
    });
    audit.logLeadIngested('M-1', 'web_form', { score: 1 });
    await audit.forceFlush();
    expect(audit.diagnostics.total('otlp.metrics-export')).to.equal(1);
    const failure = audit.getDiagnostics().failures.find((f) => f.kind === 'otlp.metrics-export');
    expect(failure?.lastDetail).to.equal('metrics forceFlush: metrics backend down');
    await audit.shutdown();
    expect(audit.diagnostics.total('otlp.metrics-export')).to.equal(2);
  });
});
