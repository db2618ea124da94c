import { expect } from 'chai';
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { type AuditLogger } from '../../src/logger/audit-logger.js';
import { SEAL_EVENT_NAME, SIGNING_ATTR } from '../../src/record/record-kinds.js';
import { TEST_KEY } from './fixture.js';

/** A sink that keeps every record it is given, seals included, and whether it was shut down. */
class KeepingSink implements LogRecordProcessor {
  readonly records: ReadableLogRecord[] = [];
  shutDown = false;
  /** Records given after shutdown (a seal written too late). */
  late = 0;
  onEmit(record: ReadableLogRecord): void {
    if (this.shutDown) this.late++;
    this.records.push(record);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {
    this.shutDown = true;
  }
}

/** `[event, seal reason]` of each record the sink got, in order. */
function sequence(sink: KeepingSink): [string | undefined, unknown][] {
  return sink.records.map((r) => [r.eventName, r.attributes[SIGNING_ATTR.sealReason]]);
}

describe('shutdown seal of the AuditLogger (the pipeline writes it, whoever shuts down)', () => {
  let sink: KeepingSink;
  let audit: AuditLogger;

  beforeEach(() => {
    sink = new KeepingSink();
    audit = createAuditLogger({ signingKey: TEST_KEY, env: {}, sealIntervalMs: 0, processors: [sink] });
  });

  afterEach(() => audit.shutdown());

  it('audit.shutdown(): the sinks get the shutdown seal as the last record, before they shut down', async () => {
    audit.logWorkflowStarted('sales');
    audit.logLeadIngested('L-1', 'web', {}, 'sales');
    await audit.shutdown();
    expect(sequence(sink)).to.deep.equal([
      ['orchestrator.workflow.started', undefined],
      ['orchestrator.lead.ingested', undefined],
      [SEAL_EVENT_NAME, 'shutdown'],
    ]);
    expect(sink.records[2]!.attributes[SIGNING_ATTR.sealCount]).to.equal(2);
    expect(sink.shutDown).to.equal(true);
    expect(sink.late).to.equal(0);
  });

  it('audit.loggerProvider.shutdown() called directly writes the same seal, and the provider keeps its own shutdown method', async () => {
    const provider = audit.loggerProvider;
    // the seal comes from the provider's class, not from a function put on the instance
    expect(Object.hasOwn(provider, 'shutdown')).to.equal(false);
    audit.logWorkflowStarted('sales');
    await provider.shutdown();
    expect(sequence(sink)).to.deep.equal([
      ['orchestrator.workflow.started', undefined],
      [SEAL_EVENT_NAME, 'shutdown'],
    ]);
    expect(sink.shutDown).to.equal(true);
    expect(sink.late).to.equal(0);
    // shutting the logger down afterwards adds no second seal
    await audit.shutdown();
    expect(sink.records).to.have.length(2);
    expect(audit.getDiagnostics().head?.seq).to.equal(2);
  });

  it('writes no seal for a stream without records', async () => {
    await audit.shutdown();
    expect(sink.records).to.deep.equal([]);
  });
});
