import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ATTR } from '../../src/events/semconv.js';
import { SEAL_EVENT_NAME } from '../../src/record/record-kinds.js';
import { JournalQuery } from '../../src/query/journal/journal-query.js';
import { JournalLayout } from '../../src/sinks/journal/layout.js';
import { listJournal } from '../../src/sinks/journal/reader.js';
import { emit, pipeline, tempDir } from './helpers.js';

describe('journal query API', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let auditFile: string;
  const base = Date.now() - 3_600_000; // events spread over the last hour
  const at = (i: number): Date => new Date(base + i * 1000);

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    auditFile = path.join(dir, 'logs', 'audit.log');
    const p = pipeline({ auditFile, maxFileSizeMb: 0.004 });
    let i = 0;
    for (let lead = 1; lead <= 20; lead++) {
      const leadId = `LEAD-${lead}`;
      const workflow = lead % 2 === 0 ? 'sales' : 'support';
      emit(p.logger, { type: 'lead_ingested', leadId, workflow, at: at(i++) });
      emit(p.logger, { type: 'lead_qualified', leadId, workflow, at: at(i++) });
      if (lead % 5 === 0)
        emit(p.logger, { type: 'error', leadId, workflow, error: true, at: at(i++), message: 'CRM timeout' });
      emit(p.logger, { type: 'crm_create', leadId, workflow, at: at(i++) });
      await p.journal.processor.forceFlush();
    }
    for (let d = 1; d <= 100; d++) {
      emit(p.logger, {
        type: 'performance',
        workflow: 'sales',
        at: at(i++),
        attrs: { [ATTR.operation]: 'crm_sync', [ATTR.durationSeconds]: d / 100 },
      });
    }
    emit(p.logger, {
      type: 'performance',
      at: at(i++),
      attrs: { [ATTR.operation]: 'email_send', [ATTR.durationSeconds]: 0.25 },
    });
    p.logger.emit({
      eventName: SEAL_EVENT_NAME,
      body: 'seal',
      timestamp: at(i++),
      attributes: { 'audit.seal.count': i - 1, 'audit.seal.reason': 'periodic' },
    });
    await p.provider.shutdown();
  });
  after(() => cleanup());

  it('spans rotated gzip segments (test precondition)', async () => {
    const segments = await listJournal(auditFile);
    expect(segments.filter((s) => s.kind === 'compressed').length).to.be.greaterThan(2);
  });

  it('returns a lead history in chronological order across gzip segments', async () => {
    const q = new JournalQuery(auditFile);
    const history = await q.getLeadHistory('LEAD-10');
    expect(history.map((e) => e.type)).to.deep.equal(['lead_ingested', 'lead_qualified', 'error', 'crm_create']);
    expect(history.every((e) => e.leadId === 'LEAD-10' && e.workflow === 'sales')).to.equal(true);
    expect(history[2]?.message).to.equal('CRM timeout');
    expect(history[2]?.severity).to.equal('ERROR');
    const firstLead = await q.getLeadHistory('LEAD-1');
    expect(firstLead[0]?.location).to.match(/audit\.\d{8}_\d{6}(-\d+)?\.log\.gz:1$/);
    expect(await q.getLeadHistory('LEAD-404')).to.deep.equal([]);
  });

  it('filters by seed type or event name, workflow, time range and limit', async () => {
    const q = new JournalQuery(auditFile);
    expect(await q.queryEvents({ eventType: 'lead_ingested' })).to.have.length(20);
    expect(await q.queryEvents({ eventType: 'orchestrator.lead.ingested' })).to.have.length(20);
    expect(await q.queryEvents({ eventType: 'lead_ingested', workflow: 'sales' })).to.have.length(10);
    const limited = await q.queryEvents({ eventType: 'crm_create', limit: 3 });
    expect(limited.map((e) => e.leadId)).to.deep.equal(['LEAD-18', 'LEAD-19', 'LEAD-20']);
    const window = await q.queryEvents({ startTime: at(3), endTime: at(6) });
    expect(window.map((e) => e.ts)).to.deep.equal([3, 4, 5].map((i) => at(i).toISOString()));
    expect(await q.queryEvents({ eventType: 'lead_ingested', limit: 0 })).to.deep.equal([]);
  });

  it('leaves seal records out unless asked for', async () => {
    const q = new JournalQuery(auditFile);
    expect((await q.queryEvents()).some((e) => e.type === 'seal')).to.equal(false);
    const seals = await q.queryEvents({ eventType: 'seal' });
    expect(seals.map((e) => e.attrs['audit.seal.reason'])).to.deep.equal(['periodic', 'shutdown']);
    expect(seals[0]?.event).to.equal(SEAL_EVENT_NAME);
  });

  it('computes statistics overall and per workflow', async () => {
    const q = new JournalQuery(auditFile);
    const all = await q.getStatistics();
    expect(all).to.include({ totalEvents: 165, leadsProcessed: 20, errors: 4 });
    expect(all.byType).to.deep.equal({
      lead_ingested: 20,
      lead_qualified: 20,
      error: 4,
      crm_create: 20,
      performance: 101,
    });
    expect(all.byWorkflow).to.deep.equal({ sales: 133, support: 32 });
    expect(all.firstEventAt).to.equal(at(0).toISOString());
    const support = await q.getStatistics({ workflow: 'support' });
    expect(support).to.include({ totalEvents: 32, leadsProcessed: 10, errors: 2 });
  });

  it('computes exact performance statistics from the journal', async () => {
    const q = new JournalQuery(auditFile);
    const report = await q.getPerformanceStats();
    expect(Object.keys(report)).to.deep.equal(['crm_sync', 'email_send']);
    const crm = report.crm_sync;
    expect(crm?.count).to.equal(100);
    expect(crm?.min).to.equal(0.01);
    expect(crm?.max).to.equal(1);
    expect(crm?.avg).to.be.closeTo(0.505, 1e-9);
    expect(crm?.p50).to.be.closeTo(0.505, 1e-9);
    expect(crm?.p95).to.be.closeTo(0.9505, 1e-9);
    expect(crm?.p99).to.be.closeTo(0.9901, 1e-9);
    expect(Object.keys(await q.getPerformanceStats('email_send'))).to.deep.equal(['email_send']);
  });

  it('skips segments whose time range cannot match', async () => {
    const layout = new JournalLayout(auditFile);
    const oldName = layout.segmentName(new Date(Date.now() - 2 * 86_400_000), 0) + '.gz';
    await writeFile(path.join(path.dirname(auditFile), oldName), gzipSync('not even a record\n'));
    const seen = new Set<string>();
    const q = new JournalQuery(auditFile, { onProgress: (pr) => seen.add(path.basename(pr.segment)) });
    const recent = await q.queryEvents({ startTime: at(0) });
    expect(recent.length).to.equal(165);
    expect(seen.has(oldName)).to.equal(false);
    await q.queryEvents({ eventType: 'error' });
    expect(seen.has(oldName)).to.equal(true);
  });
});
