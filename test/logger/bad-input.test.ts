import { expect } from 'chai';
import { ATTR } from '../../src/events/semconv.js';
import { LOGGER_FAILURE } from '../../src/logger/record-writer.js';
import { type AuditLogger } from '../../src/logger/audit-logger.js';
import { contentOf, testAudit, type TestAudit } from './fixture.js';

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;
const protoKeys = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "ok": 1}') as unknown;

interface BadCase {
  readonly call: (a: AuditLogger) => void;
  /** Issue names expected in `audit.sanitized` (and as `sanitize.<issue>` failures). */
  readonly issues: readonly string[];
  readonly check?: (attrs: Record<string, unknown>) => void;
}

const CASES: Record<string, BadCase> = {
  'circular data': {
    call: (a) => a.logLeadIngested('L-1', 'web', circular, 'sales'),
    issues: ['circular'],
    check: (attrs) => expect(attrs[ATTR.leadData]).to.deep.equal({ name: 'loop', self: '[Circular]' }),
  },
  BigInt: {
    call: (a) => a.logLeadIngested('L-1', 'web', { amount: 12345678901234567890n }, 'sales'),
    issues: ['bigint'],
    check: (attrs) => expect(attrs[ATTR.leadData]).to.deep.equal({ amount: '12345678901234567890' }),
  },
  functions: {
    call: (a) => a.logCrmUpdate('L-1', 'SF-1', { fn: function hook() {} }, 'sales'),
    issues: ['function'],
    check: (attrs) => expect(attrs[ATTR.crmFields]).to.deep.equal({ fn: '[Function hook]' }),
  },
  symbols: { call: (a) => a.logLeadIngested('L-1', 'web', { s: Symbol('tag') }, 'sales'), issues: ['symbol'] },
  Buffer: {
    call: (a) => a.logLeadIngested('L-1', 'web', { raw: Buffer.from('hi') }, 'sales'),
    issues: ['bytes'],
    check: (attrs) => expect(attrs[ATTR.leadData]).to.deep.equal({ raw: 'base64:aGk=' }),
  },
  Date: {
    call: (a) =>
      a.logLeadIngested('L-1', 'web', { at: new Date('2026-01-02T03:04:05.678Z'), bad: new Date(Number.NaN) }, 'sales'),
    issues: ['date'],
    check: (attrs) =>
      expect(attrs[ATTR.leadData]).to.deep.equal({ at: '2026-01-02T03:04:05.678Z', bad: 'Invalid Date' }),
  },
  'Map and Set': {
    call: (a) =>
      a.logLeadIngested(
        'L-1',
        'web',
        {
          m: new Map<unknown, unknown>([
            ['a', 1],
            [2, 'b'],
          ]),
          s: new Set([1, 2]),
        },
        'sales',
      ),
    issues: ['map', 'map-key', 'set'],
    check: (attrs) => expect(attrs[ATTR.leadData]).to.deep.equal({ m: { a: 1, '2': 'b' }, s: [1, 2] }),
  },
  '__proto__ and constructor keys': {
    call: (a) => a.logLeadIngested('L-1', 'web', protoKeys, 'sales'),
    issues: ['reserved-key'],
    check: (attrs) => {
      expect(attrs[ATTR.leadData]).to.deep.equal({ '[__proto__]': { polluted: true }, '[constructor]': 'x', ok: 1 });
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    },
  },
  'huge payload': {
    call: (a) =>
      a.logLeadIngested('L-1', 'web', { notes: 'x'.repeat(1_000_000), list: new Array(5000).fill('y') }, 'sales'),
    issues: ['truncated'],
    check: (attrs) => {
      const data = attrs[ATTR.leadData] as { notes: string; list: string[] };
      expect(data.notes.length).to.be.below(9000);
      expect(data.notes).to.match(/…\[truncated \d+ chars\]$/);
      expect(data.list.length).to.be.at.most(1001);
      expect(data.list[data.list.length - 1]).to.match(/^…\[truncated \d+ items\]$/);
    },
  },
  'non-string ids': {
    call: (a) => a.logCrmCreate(42 as unknown as string, 7 as unknown as string, 'hubspot', 'sales'),
    issues: ['id-not-string'],
    check: (attrs) => expect([attrs[ATTR.leadId], attrs[ATTR.crmId]]).to.deep.equal(['42', '7']),
  },
  'missing lead id and object workflow': {
    call: (a) => a.logLeadRouted(undefined as unknown as string, 'x', 'y', { wf: 1 } as unknown as string),
    issues: ['id-invalid', 'id-missing'],
    check: (attrs) => expect([attrs[ATTR.leadId], attrs[ATTR.workflow]]).to.deep.equal(['unknown', 'unknown']),
  },
  'wrong argument types': {
    call: (a) =>
      a.logEmailSent(
        'L-1',
        { to: 'x' } as unknown as string,
        12 as unknown as string,
        'two' as unknown as number,
        'nurture',
      ),
    issues: ['not-number', 'not-string'],
    check: (attrs) =>
      expect([attrs[ATTR.emailRecipient], attrs[ATTR.emailSubject], attrs[ATTR.emailStep]]).to.deep.equal([
        '{"to":"x"}',
        '12',
        'two',
      ]),
  },
  'missing required text': {
    call: (a) => a.logError('timeout', undefined as unknown as string, 'L-1', 'sales'),
    issues: ['text-missing'],
    check: (attrs) => expect(attrs[ATTR.errorMessage]).to.equal(''),
  },
  'missing optional text is no issue': {
    call: (a) => a.logLeadQualified('L-1', true, undefined, 'sales'),
    issues: [],
  },
  'throwing getter': {
    call: (a) =>
      a.logLeadIngested(
        'L-1',
        'web',
        {
          get secret(): string {
            throw new Error('no');
          },
        },
        'sales',
      ),
    issues: ['unreadable'],
  },
};

describe('AuditLogger bad input', () => {
  let t: TestAudit;
  beforeEach(() => {
    t = testAudit();
  });
  afterEach(() => t.close());

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: returns normally, emits one well-defined signed record, counts the issue`, async () => {
      expect(() => c.call(t.audit)).to.not.throw();
      const records = await t.records();
      expect(records).to.have.length(1);
      const attrs = records[0]!.attributes as Record<string, unknown>;
      expect(attrs[ATTR.sanitized]).to.deep.equal(c.issues.length > 0 ? [...c.issues].sort() : undefined);
      for (const issue of c.issues) {
        expect(t.audit.diagnostics.total(`sanitize.${issue}`), issue).to.be.at.least(1);
      }
      expect(contentOf(records[0]!).attrs[ATTR.sanitized]).to.deep.equal(attrs[ATTR.sanitized]);
      expect(attrs[ATTR.sig]).to.be.a('string').with.length.greaterThan(20);
      c.check?.(attrs);
    });
  }

  it('emits a minimal record and counts the failure when building the record itself fails', async () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('hostile');
        },
        getPrototypeOf() {
          throw new Error('hostile');
        },
        get() {
          throw new Error('hostile');
        },
      },
    );
    expect(() => t.audit.logEvent('weird', hostile as Record<string, unknown>)).to.not.throw();
    const records = await t.records();
    expect(records).to.have.length(1);
    expect(records[0]!.eventName).to.equal('orchestrator.custom.weird');
    expect(records[0]!.attributes[ATTR.sanitized]).to.deep.equal(['internal-error']);
    expect(records[0]!.attributes[ATTR.workflow]).to.equal('unknown');
    expect(t.audit.diagnostics.total(LOGGER_FAILURE.build)).to.equal(1);
  });

  it('honours configured limits for short text arguments (under the 256-char fast path)', async () => {
    const limited = testAudit({ limits: { maxStringLength: 10 } });
    try {
      limited.audit.logLeadIngested('L-1', 'x'.repeat(50), {}, 'sales');
      const [record] = await limited.records();
      const attrs = record!.attributes as Record<string, unknown>;
      expect(attrs[ATTR.leadSource]).to.equal('x'.repeat(10) + '…[truncated 40 chars]');
      expect(attrs[ATTR.sanitized]).to.deep.equal(['truncated']);
      expect(limited.audit.diagnostics.total('sanitize.truncated')).to.equal(1);
    } finally {
      await limited.close();
    }
  });

  it('works with detached helpers (no TypeError on this)', async () => {
    const { logWorkflowStarted, track } = t.audit;
    expect(() => logWorkflowStarted('detached')).to.not.throw();
    expect(track('op', () => 5)).to.equal(5);
    expect(await t.records()).to.have.length(2);
  });

  it('does not throw after shutdown and counts the lost record', async () => {
    await t.audit.shutdown();
    expect(() => t.audit.logWorkflowStarted('late')).to.not.throw();
    expect(t.audit.isShutDown).to.equal(true);
    expect(t.audit.diagnostics.total(LOGGER_FAILURE.closed)).to.equal(1);
  });
});
