/**
 * OTLP export from the audit worker (no journal: the records go to the OTLP batch exporter as the
 * worker emitted them): a loopback receiver gets, in thread mode, the records the in-process
 * pipeline exports for the same calls on one pinned clock, under one resource and one scope with
 * the seal the worker's signer wrote through the SDK logger.
 */
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { TEST_KEY } from '../logger/fixture.js';
import { startPeer, type LoopbackPeer } from '../webhooks/loopback-peer.js';

interface OtlpLog {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano?: string;
  readonly body?: { stringValue?: string };
  readonly attributes?: { key: string; value: unknown }[];
  readonly [field: string]: unknown;
}
interface ExportBody {
  readonly resourceLogs: {
    readonly resource: { attributes: { key: string; value: unknown }[] };
    readonly scopeLogs: { scope: { name: string }; logRecords: OtlpLog[] }[];
  }[];
}

function calls(audit: AuditLogger): void {
  const realNow = Date.now;
  Date.now = () => 1_767_225_600_000;
  try {
    audit.logLeadIngested('L-OTLP', 'web', { email: 'jane.doe@example.com', tags: ['a', { n: 1 }] }, 'sales');
    audit.logEvent('scored', { leadId: 'L-OTLP', score: 7, detail: { note: 'call +1 415 555 0100' } });
  } finally {
    Date.now = realNow;
  }
}

describe('thread mode: OTLP export from the audit worker', function () {
  this.timeout(30000);
  let peer: LoopbackPeer;
  let endpoint: string;
  before(async () => {
    peer = await startPeer();
    endpoint = new URL(peer.url).origin;
  });
  after(() => peer.close());

  /** The records exported for the calls, under their resource and scope. */
  async function exported(thread: boolean): Promise<ExportBody['resourceLogs']> {
    const from = peer.requests.length;
    const audit = createAuditLogger({
      signingKey: TEST_KEY,
      env: {},
      sealIntervalMs: 0,
      pii: { enabled: true },
      otlp: { endpoint, metrics: false },
      serviceName: 'otlp-thread-test',
      thread,
    });
    calls(audit);
    await audit.shutdown();
    return peer.requests
      .slice(from)
      .filter((r) => r.path === '/v1/logs')
      .flatMap((r) => (JSON.parse(r.rawBody) as ExportBody).resourceLogs);
  }

  it('exports the records of the in-process pipeline, with the seal under one resource and scope', async () => {
    const inline = await exported(false);
    const threaded = await exported(true);
    expect(threaded).to.have.length(1);
    expect(threaded[0]!.scopeLogs).to.have.length(1);
    const records = threaded[0]!.scopeLogs[0]!.logRecords;
    expect(records).to.have.length(3); // two records and the shutdown seal
    expect(threaded[0]!.scopeLogs[0]!.scope.name).to.equal(inline[0]!.scopeLogs[0]!.scope.name);
    // what names the stream (its id, the signatures over it) and the observed time differ by run
    const comparable = (log: OtlpLog): unknown => ({
      ...log,
      observedTimeUnixNano: undefined,
      body: undefined,
      attributes: log.attributes?.filter((a) => a.key !== 'audit.sig' && a.key !== 'audit.stream'),
    });
    const inlineRecords = inline.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
    expect(records.slice(0, 2).map(comparable)).to.deep.equal(inlineRecords.slice(0, 2).map(comparable));
    const bodyOf = (log: OtlpLog): unknown => {
      const { stream: _s, prev: _p, ...rest } = JSON.parse(log.body!.stringValue!) as Record<string, unknown>;
      return rest;
    };
    expect(records.slice(0, 2).map(bodyOf)).to.deep.equal(inlineRecords.slice(0, 2).map(bodyOf));
    expect(JSON.stringify(records)).to.not.include('jane.doe@example.com');
  });
});
