/**
 * audit-cli on a journal written by the SDK's own AuditLogger (createAuditLogger with a temp
 * auditFile and a test key): seed helpers, rotation to gzip and a restart, then stats, query,
 * errors, performance, integrity and export read it back.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { cli, FIXTURE_ENV, FIXTURE_KEY, tempDir } from './fixture.js';

describe('audit-cli on an AuditLogger journal (createAuditLogger)', function () {
  this.timeout(30000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    file = path.join(dir, 'logs', 'audit.log');
    for (let run = 0; run < 2; run++) {
      const audit = createAuditLogger({
        auditFile: file,
        maxFileSizeMb: 0.01,
        signingKey: FIXTURE_KEY,
        signingKeyId: 'k1',
        flushIntervalMs: 20,
        env: {},
      });
      audit.logWorkflowStarted('sales');
      for (let i = 0; i < 15; i++) {
        const lead = `LEAD-${run}${String(i).padStart(2, '0')}`;
        audit.logLeadIngested(lead, 'web_form', { company: 'Acme' }, 'sales');
        audit.logLeadQualified(lead, i % 3 !== 0, 'score', 'sales');
        if (i % 3 !== 0) audit.logCrmCreate(lead, `CRM-${i}`, 'hubspot', 'sales');
        audit.trackPerformance('crm_sync', 0.1 + i / 100, 'sales');
        if (i % 5 === 0) audit.logError('CrmTimeout', `timeout ${lead}`, lead, 'sales');
      }
      audit.logWorkflowStopped('sales', 'done');
      await audit.shutdown();
    }
  });
  after(() => cleanup());

  it('reads every segment back: stats, lead history, errors, performance', async () => {
    expect(readdirSync(path.dirname(file)).some((f) => f.endsWith('.log.gz'))).to.equal(
      true,
      'rotated into gzip segments',
    );
    const stats = JSON.parse((await cli(['--file', file, 'stats', '--json'])).stdout);
    expect(stats.leadsProcessed).to.equal(30);
    expect(stats.errors).to.equal(6);
    expect(stats.byType.lead_ingested).to.equal(30);
    expect(stats.byType.crm_create).to.equal(20);
    const history = JSON.parse((await cli(['--file', file, 'query', '--lead', 'LEAD-101', '--json'])).stdout);
    expect(history.events.map((e: { type: string }) => e.type)).to.deep.equal([
      'lead_ingested',
      'lead_qualified',
      'crm_create',
    ]);
    const errors = JSON.parse((await cli(['--file', file, 'errors', '--json'])).stdout);
    expect(errors.errors.map((e: { errorType: string }) => e.errorType)).to.deep.equal(Array(6).fill('CrmTimeout'));
    expect(errors.errors[5].message).to.equal('timeout LEAD-110');
    const perf = JSON.parse((await cli(['--file', file, 'performance', '--name', 'crm_sync', '--json'])).stdout);
    expect(perf.operations.crm_sync.count).to.equal(30);
    expect(perf.operations.crm_sync.max).to.be.closeTo(0.24, 1e-9);
  });

  it('integrity is clean across rotation and the restart (exit 0, two linked sealed streams)', async () => {
    const r = await cli(['--file', file, 'integrity', '--json'], FIXTURE_ENV);
    expect(r.code, r.stdout).to.equal(0);
    const s = JSON.parse(r.stdout);
    expect(s.streams).to.have.length(2);
    expect(s.streams.every((x: { sealed: boolean }) => x.sealed)).to.equal(true);
    expect(s.streams[1].previous.stream).to.equal(s.streams[0].stream);
  });
});
