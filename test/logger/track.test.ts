import { expect } from 'chai';
import { ATTR } from '../../src/events/semconv.js';
import { contentOf, testAudit, type TestAudit } from './fixture.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('AuditLogger.track / trackPerformance / getPerformanceStats', () => {
  let t: TestAudit;
  beforeEach(() => {
    t = testAudit();
  });
  afterEach(() => t.close());

  it('returns the value of a sync function and records one duration', async () => {
    const value = t.audit.track('parse', () => 42);
    expect(value).to.equal(42);
    const records = await t.records();
    expect(records).to.have.length(1);
    expect(records[0]!.attributes[ATTR.operation]).to.equal('parse');
    expect(records[0]!.attributes[ATTR.durationSeconds]).to.be.a('number').and.be.at.least(0);
    expect(t.audit.getPerformanceStats('parse').parse?.count).to.equal(1);
  });

  it('rethrows the same error of a sync function and still records the duration', async () => {
    const boom = new TypeError('boom');
    let caught: unknown;
    try {
      t.audit.track('parse', () => {
        throw boom;
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(boom);
    expect(await t.records()).to.have.length(1);
    expect(t.audit.getPerformanceStats().parse?.count).to.equal(1);
  });

  it('resolves with the value of an async function and measures until it settles', async () => {
    const result = await t.audit.track(
      'crm_sync',
      async () => {
        await sleep(30);
        return { id: 'SF-1' };
      },
      'sales',
    );
    expect(result).to.deep.equal({ id: 'SF-1' });
    const [r] = await t.records();
    expect(r!.attributes[ATTR.durationSeconds]).to.be.at.least(0.025);
    expect(r!.attributes[ATTR.workflow]).to.equal('sales');
  });

  it('rejects with the same error of an async function and still records the duration', async () => {
    const boom = new Error('crm down');
    const promise = t.audit.track('crm_sync', async () => {
      await sleep(5);
      throw boom;
    });
    let caught: unknown;
    await promise.catch((err: unknown) => {
      caught = err;
    });
    expect(caught).to.equal(boom);
    expect(t.audit.getPerformanceStats('crm_sync').crm_sync?.count).to.equal(1);
  });

  it('gives exact count/min/max/avg and percentiles within 1 % per operation', () => {
    const values: number[] = [];
    for (let i = 1; i <= 1000; i++) values.push(i / 1000);
    for (const v of values) t.audit.trackPerformance('op', v);
    t.audit.trackPerformance('other', 2);
    const stats = t.audit.getPerformanceStats();
    expect(Object.keys(stats)).to.deep.equal(['op', 'other']);
    const op = stats.op!;
    expect(op).to.include({ count: 1000, min: 0.001, max: 1 });
    expect(op.avg).to.be.closeTo(0.5005, 1e-12);
    expect(Math.abs(op.p50 - 0.5) / 0.5).to.be.at.most(0.01);
    expect(Math.abs(op.p95 - 0.95) / 0.95).to.be.at.most(0.01);
    expect(Math.abs(op.p99 - 0.99) / 0.99).to.be.at.most(0.01);
    expect(t.audit.getPerformanceStats('missing')).to.deep.equal({});
  });

  it('keeps a record but no sample for a negative or non-finite duration, and says why', async () => {
    t.audit.trackPerformance('op', -1);
    t.audit.trackPerformance('op', Number.NaN);
    const records = await t.records();
    expect(records).to.have.length(2);
    expect(records[0]!.attributes[ATTR.sanitized]).to.deep.equal(['negative-duration']);
    expect(records[1]!.attributes[ATTR.sanitized]).to.include('not-number');
    expect(records[1]!.attributes[ATTR.durationSeconds]).to.equal('NaN');
    expect(t.audit.getPerformanceStats()).to.deep.equal({});
  });

  it('in compliance mode keeps operations under their anonymized names, also those tracked before', () => {
    t.audit.trackPerformance('sync carol@example.com', 1);
    t.audit.trackPerformance('sync dave@example.com', 3);
    t.audit.enableComplianceMode({ anonymizePii: true });
    t.audit.trackPerformance('sync erin@example.com', 2);
    const stats = t.audit.getPerformanceStats();
    expect(Object.keys(stats)).to.deep.equal(['sync [REDACTED:email]']);
    expect(stats['sync [REDACTED:email]']).to.include({ count: 3, min: 1, max: 3, avg: 2 });
    expect(JSON.stringify(stats)).to.not.match(/carol|dave|erin/);
    // a raw name is asked for by its anonymized form
    expect(Object.keys(t.audit.getPerformanceStats('sync frank@example.com'))).to.deep.equal(['sync [REDACTED:email]']);
  });

  it('writes durations in the record message without floating-point noise', async () => {
    t.audit.trackPerformance('parse', 0.0001284180000000106);
    t.audit.trackPerformance('crm_sync', 0.1 + 0.2);
    t.audit.trackPerformance('export', 2.5000000000000004);
    const records = await t.records();
    expect(records.map((r) => contentOf(r).body)).to.deep.equal([
      'parse took 128µs',
      'crm_sync took 300.0ms',
      'export took 2.500s',
    ]);
    expect(records[0]!.attributes[ATTR.durationSeconds]).to.equal(
      0.0001284180000000106,
      'the attribute keeps the exact value',
    );
  });
});
