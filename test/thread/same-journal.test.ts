/**
 * Thread mode writes the journal the in-process pipeline writes: the same helper calls and direct
 * `loggerProvider` records, on one pinned clock, give records equal in every field but the
 * stream id and the link to the previous signature (which names the stream), with wide records at
 * the attribute count limit, nested maps and arrays, traces and keys the SDK refuses among them;
 * audit-cli verifies both journals clean.
 */
import { expect } from 'chai';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import type { AuditLoggerOptions } from '../../src/logger/options.js';
import { tempDir } from '../cli/fixture.js';
import { runBin } from '../cli/spawn.js';

const KEY = Buffer.from('same-journal-test-key-0123456789abcdef', 'utf8');
const VERIFY_ENV = { AUDIT_VERIFY_KEYS: `k1:hex:${KEY.toString('hex')}` };
const T0 = 1_767_225_600_000;

function options(file: string, extra: Partial<AuditLoggerOptions> = {}): AuditLoggerOptions {
  return { auditFile: file, signingKey: KEY, signingKeyId: 'k1', pii: { enabled: true }, env: {}, ...extra };
}

const wide = (n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`w${i}`, `value ${i} of jane.doe@example.com`]));

/**
 * The calls, with `Date.now` pinned while they run (they are synchronous). `overLimit` adds a
 * record of 140 attributes: 128 are kept and the signer's own are all dropped, so it is written
 * unsigned (and verifiers report it).
 */
function sameCalls(audit: AuditLogger, overLimit: boolean): void {
  const realNow = Date.now;
  let tick = 0;
  Date.now = () => T0 + tick;
  try {
    for (let i = 0; i < 20; i++) {
      tick = i;
      audit.logLeadIngested(`L-${i}`, 'web', {
        name: 'Jane Doe',
        email: 'jane.doe@example.com',
        phone: '+1 415 555 0100',
        tags: ['a', { ip: '10.1.2.3' }, [1, 2.5, true, null]],
        address: { city: 'Springfield', zip: '12345', geo: { lat: 1.25, lon: -3 } },
      });
    }
    tick = 100;
    audit.logError('EmailBounced', '550 unknown jane.doe@example.com', 'L-1', 'sales', 'at send (mailer.ts:1)');
    audit.logCrmUpdate('L-2', 'crm-9', { email: 'raw@example.com', 'carol@example.com': 'key holds PII' }, 'sales');
    audit.logEvent('scored', { leadId: 'L-3', score: 7, note: 'call +1 415 555 0100', empty: {}, list: [] });
    audit.logEvent('odd.keys', { leadId: 'L-4', nested: { constructor: 'x', keep: 1 }, other: { '': 'empty key' } });
    audit.logEmailSent('L-5', 'jane.doe@example.com', 'Welcome', 1, 'nurture');
    const direct = audit.loggerProvider.getLogger('orders');
    const span = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
    direct.emit({ timestamp: T0 + 200, eventName: 'orders.placed', body: 'by jane.doe@example.com', context: span });
    // at the count limit: the signer's attributes find two free slots, two are dropped and counted
    direct.emit({ timestamp: T0 + 201, eventName: 'orders.wide', attributes: wide(126) });
    if (overLimit) direct.emit({ timestamp: T0 + 202, eventName: 'orders.wider', attributes: wide(140) });
  } finally {
    Date.now = realNow;
  }
}

/** A journal's records without the stream id and the previous signature; seals apart. */
function recordsOf(file: string): { records: Record<string, unknown>[]; seals: unknown[] } {
  const records: Record<string, unknown>[] = [];
  const seals: unknown[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const { rec } = JSON.parse(line) as { rec: Record<string, unknown> };
    const { stream: _s, prev: _p, ...rest } = rec;
    // a record left unsigned (its audit attributes dropped at the count limit) holds its content as its body
    if (typeof rest.body === 'string' && rest.body.startsWith('{"attrs"')) {
      const { stream: _bs, prev: _bp, ...content } = JSON.parse(rest.body) as Record<string, unknown>;
      rest.body = content;
    }
    if (rest.event === 'audit.seal') seals.push((rest.attrs as Record<string, unknown>)['audit.seal.reason']);
    else records.push(rest);
  }
  return { records, seals };
}

describe('thread mode: the same journal as in-process', function () {
  this.timeout(30000);
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('audit-same-journal-')));
  after(() => cleanup());

  interface Side {
    readonly file: string;
    readonly records: Record<string, unknown>[];
    readonly seals: unknown[];
    readonly code: number;
    readonly report: { streams: { records: number }[]; findings: { class: string }[] };
  }

  /** Runs the calls in-process and in thread mode: the two journals' records, and their audit-cli reports. */
  async function both(name: string, overLimit: boolean): Promise<[Side, Side]> {
    const out: Side[] = [];
    for (const thread of [false, true]) {
      const file = path.join(dir, `${name}-${thread ? 'thread' : 'inline'}.log`);
      const audit = createAuditLogger(options(file, { thread }));
      sameCalls(audit, overLimit);
      await audit.shutdown();
      const run = await runBin(['--file', file, 'integrity', '--json'], VERIFY_ENV);
      const report = JSON.parse(run.stdout) as Side['report'];
      out.push({ file, ...recordsOf(file), code: run.code, report });
    }
    return [out[0]!, out[1]!];
  }

  it('writes equal records for the same calls, and both journals verify clean', async () => {
    const [a, b] = await both('clean', false);
    expect(a.records).to.have.length(27);
    expect(b.records).to.deep.equal(a.records);
    expect(b.seals).to.deep.equal(a.seals);
    const byEvent = (event: string): Record<string, unknown> => b.records.find((r) => r.event === event)!;
    expect(Object.keys(byEvent('orders.wide').attrs as object)).to.have.length(126);
    expect(byEvent('orders.placed')).to.include({
      trace: '0af7651916cd43dd8448eb211c80319c',
      span: 'b7ad6b7169203331',
    });
    expect(readFileSync(b.file, 'utf8')).to.not.include('jane.doe@example.com');
    for (const side of [a, b]) {
      expect(side.code, JSON.stringify(side.report)).to.equal(0);
      expect(side.report.streams[0]).to.include({ records: 28 });
    }
  });

  it('writes equal records when one is over the attribute count limit, and verifiers report it alike', async () => {
    const [a, b] = await both('over', true);
    expect(b.records).to.deep.equal(a.records);
    expect(b.records.find((r) => r.event === 'orders.wider')!.attrs as object).to.have.keys(Object.keys(wide(128)));
    expect(b.code).to.equal(a.code);
    expect(b.report.findings.map((f) => f.class)).to.deep.equal(a.report.findings.map((f) => f.class));
  });
});
