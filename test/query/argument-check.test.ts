/**
 * Query and tracking APIs given arguments they cannot use: each call rejects (queries) or throws
 * (`track`) an AuditArgumentError that names the argument and says what is wrong, never a raw
 * TypeError from deep inside; hostile Proxies and getters are read once, and valid calls after
 * them still return every event.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditArgumentError } from '../../src/events/argument-error.js';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { type AuditLogger } from '../../src/logger/audit-logger.js';
import { JournalQuery } from '../../src/query/journal/journal-query.js';
import { TEST_KEY } from '../logger/fixture.js';

/** Calls `run`, which must return a promise (no synchronous throw), and returns its rejection. */
async function rejection(run: () => Promise<unknown>): Promise<AuditArgumentError> {
  let promise: Promise<unknown>;
  try {
    promise = run();
  } catch (err) {
    throw new Error(`threw synchronously instead of rejecting: ${String(err)}`, { cause: err });
  }
  expect(promise).to.be.instanceOf(Promise);
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'rejected').to.be.instanceOf(AuditArgumentError);
  expect(err).to.be.instanceOf(TypeError); // still a TypeError for callers that check that
  const message = (err as Error).message;
  expect(message).to.not.match(/is not a function|Cannot read properties|undefined is not/);
  return err as AuditArgumentError;
}

describe('query and track arguments are validated with clear errors', () => {
  let dir: string;
  let audit: AuditLogger;
  const anyFilter = (v: unknown): never => v as never;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-args-'));
    audit = createAuditLogger({ signingKey: TEST_KEY, env: {}, auditFile: join(dir, 'audit.log'), sealIntervalMs: 0 });
    audit.logLeadIngested('LEAD-00001', 'web_form', {}, 'sales');
    audit.logLeadQualified('LEAD-00001', true, 'fit', 'sales');
    audit.logError('crm_timeout', 'CRM did not answer', 'LEAD-00001', 'sales');
  });
  after(async () => {
    await audit.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  it('queryEvents: null, wrong types, invalid dates, bad limits, unknown keys and reversed ranges', async () => {
    const cases: [unknown, RegExp][] = [
      [null, /^queryEvents: filter must be an object \(or left out\), got null$/],
      ['sales', /^queryEvents: filter must be an object .*got the string "sales"$/],
      [[1], /^queryEvents: filter must be an object .*got an array$/],
      [{ startTime: 'garbage' }, /^queryEvents: filter\.startTime must be a Date, got the string "garbage"$/],
      [{ endTime: 1_700_000_000_000 }, /^queryEvents: filter\.endTime must be a Date, got the number 1700000000000$/],
      [
        { startTime: new Date('not a date') },
        /^queryEvents: filter\.startTime must be a valid Date, got an Invalid Date$/,
      ],
      [
        { startTime: new Date(2000), endTime: new Date(1000) },
        /^queryEvents: filter\.startTime \(.*\) is after filter\.endTime/,
      ],
      [{ leadId: 42 }, /^queryEvents: filter\.leadId must be a string, got the number 42$/],
      [{ eventType: { $ne: 1 } }, /^queryEvents: filter\.eventType must be a string, got an object$/],
      [{ limit: -1 }, /^queryEvents: filter\.limit must be a non-negative integer, got the number -1$/],
      [{ limit: 2.5 }, /filter\.limit must be a non-negative integer, got the number 2.5$/],
      [{ limit: '10' }, /filter\.limit must be a non-negative integer, got the string "10"$/],
      [
        { leadID: 'LEAD-00001' },
        /^queryEvents: filter has an unknown property "leadID" \(known: eventType, leadId, workflow, startTime, endTime, limit\)$/,
      ],
    ];
    for (const [filter, expected] of cases) {
      const err = await rejection(() => audit.queryEvents(anyFilter(filter)));
      expect(err.message, JSON.stringify(filter)).to.match(expected);
      expect(err.method).to.equal('queryEvents');
    }
    // the same checks guard the journal query source used directly
    const direct = new JournalQuery(join(dir, 'audit.log'));
    expect((await rejection(() => direct.queryEvents(anyFilter({ startTime: 'garbage' })))).argument).to.equal(
      'filter.startTime',
    );
  });

  it('queryEvents: hostile Proxies and getters become clear errors and are read only once', async () => {
    const throwingGet = new Proxy(
      { startTime: new Date(0) },
      {
        get() {
          throw new Error('trap says no');
        },
      },
    );
    expect((await rejection(() => audit.queryEvents(anyFilter(throwingGet)))).message).to.equal(
      'queryEvents: filter.startTime cannot be read: reading it threw (Error: trap says no)',
    );
    const throwingKeys = new Proxy(
      {},
      {
        ownKeys() {
          throw new RangeError('no keys for you');
        },
      },
    );
    expect((await rejection(() => audit.queryEvents(anyFilter(throwingKeys)))).message).to.match(
      /^queryEvents: filter cannot be read: listing its properties threw \(RangeError: no keys for you\)$/,
    );
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect((await rejection(() => audit.queryEvents(anyFilter(proxy)))).message).to.match(
      /^queryEvents: filter cannot be read/,
    );
    const fakeDate = new Proxy(new Date(0), {});
    expect((await rejection(() => audit.queryEvents(anyFilter({ startTime: fakeDate })))).message).to.equal(
      'queryEvents: filter.startTime must be a Date, got a Proxy',
    );
    const throwerOfThrowers = new Proxy(
      {},
      {
        ownKeys() {
          throw new Proxy(new Error('x'), {
            get() {
              throw new Error('again');
            },
            getPrototypeOf() {
              throw new Error('again');
            },
          });
        },
      },
    );
    expect((await rejection(() => audit.queryEvents(anyFilter(throwerOfThrowers)))).message).to.equal(
      'queryEvents: filter cannot be read: listing its properties threw (a Proxy)',
    );

    // a getter answering differently on each read: the first answer is the one used
    let reads = 0;
    const shifty = {
      get leadId(): unknown {
        reads++;
        return reads === 1 ? 'LEAD-00001' : { not: 'a string' };
      },
    };
    const events = await audit.queryEvents(anyFilter(shifty));
    expect(reads).to.equal(1);
    expect(events.map((e) => e.type)).to.deep.equal(['lead_ingested', 'lead_qualified', 'error']);
  });

  it('getLeadHistory and getStatistics check their arguments too; valid calls still see every event', async () => {
    expect((await rejection(() => audit.getLeadHistory(anyFilter(null)))).message).to.equal(
      'getLeadHistory: leadId must be a non-empty string, got null',
    );
    expect((await rejection(() => audit.getLeadHistory(anyFilter({ id: 1 })))).message).to.equal(
      'getLeadHistory: leadId must be a non-empty string, got an object',
    );
    expect((await rejection(() => audit.getStatistics(anyFilter(null)))).message).to.match(
      /^getStatistics: options must be an object/,
    );
    expect((await rejection(() => audit.getStatistics(anyFilter({ workflow: 7 })))).message).to.equal(
      'getStatistics: options.workflow must be a string, got the number 7',
    );
    expect(await audit.getLeadHistory('LEAD-00001')).to.have.length(3);
    expect((await audit.getStatistics({ workflow: 'sales' })).totalEvents).to.equal(3);
    expect(await audit.queryEvents({ eventType: 'error', startTime: new Date(0), limit: 10 })).to.have.length(1);
    expect(audit.getDiagnostics().totalFailures).to.equal(0);
  });

  it("track('x', 'not a function') throws an AuditArgumentError saying fn must be a function, and records nothing", async () => {
    const before = audit.getDiagnostics().eventsEmitted;
    let caught: unknown;
    try {
      audit.track('x', anyFilter('not a function'));
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(AuditArgumentError);
    expect((caught as Error).message).to.match(
      /^track: fn must be the function to run and time .*got the string "not a function"$/,
    );
    expect(audit.getDiagnostics().eventsEmitted).to.equal(before);
    expect(audit.track('x', () => 5)).to.equal(5);
  });
});
