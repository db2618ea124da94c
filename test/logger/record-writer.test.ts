import { expect } from 'chai';
import { metrics } from '@opentelemetry/api';
import type { Logger, LogRecord } from '@opentelemetry/api-logs';
import { ATTR } from '../../src/events/semconv.js';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { AuditMetrics } from '../../src/logger/metrics.js';
import { RecordWriter } from '../../src/logger/record-writer.js';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';
import { safeCutIndex } from '../../src/processors/pii/egress-parts.js';

describe('RecordWriter: the minimal record after a build failure', () => {
  const emitted: LogRecord[] = [];
  const logger: Logger = { emit: (record) => void emitted.push(record), enabled: () => true };
  const detectors = new PiiDetectors();

  beforeEach(() => (emitted.length = 0));

  it('cuts a long lead id before, never inside, a detected value', () => {
    const writer = new RecordWriter(
      logger,
      new AuditMetrics(metrics.getMeter('test')),
      new AuditDiagnostics(),
      (text, at) => safeCutIndex(detectors, text, at),
    );
    // a card number straddling the 256-character cut
    const leadId = 'L-' + 'x'.repeat(246) + ' 4111 1111 1111 1111';
    writer.fallback('lead_ingested', leadId, 'sales', new Error('build failed'));
    expect(emitted).to.have.length(1);
    const stored = String(emitted[0]!.attributes?.[ATTR.leadId]);
    expect(stored).to.match(/^L-x{246} ?…\[truncated \d+ chars\]$/);
    expect(stored).to.not.include('4111');
    expect(emitted[0]!.attributes?.[ATTR.sanitized]).to.deep.equal(['internal-error']);
  });

  it('keeps a lead id that fits whole', () => {
    const writer = new RecordWriter(logger, new AuditMetrics(metrics.getMeter('test')), new AuditDiagnostics());
    writer.fallback('lead_ingested', 'LEAD-00001', 'sales', new Error('build failed'));
    expect(emitted[0]!.attributes?.[ATTR.leadId]).to.equal('LEAD-00001');
  });
});
