import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runDemo } from '../../examples/demo-runner.js';
import { OPERATIONS } from '../../examples/audited-steps.js';
import { generateSubmissions } from '../../examples/orchestrator/lead-source.js';
import { ingestLead } from '../../examples/orchestrator/intake.js';
import { qualifyLead } from '../../examples/orchestrator/qualify.js';
import { runSalesWorkflow } from '../../examples/orchestrator/workflow.js';
import { runPlainDemo } from '../../examples/plain-demo.js';
import { RecordingAudit } from './recording-audit.js';

async function sequence(
  seed: string | number,
  leads = 120,
): Promise<{ audit: RecordingAudit; summary: Awaited<ReturnType<typeof runDemo>> }> {
  const audit = new RecordingAudit();
  const summary = await runDemo({ audit, leads, seed });
  return { audit, summary };
}

describe('demo orchestrator', () => {
  it('is deterministic for a seed: same event sequence (types, lead ids, details)', async () => {
    const a = await sequence(7);
    const b = await sequence(7);
    expect(a.audit.events.length).to.be.greaterThan(500);
    expect(b.audit.events).to.deep.equal(a.audit.events);
    expect(b.summary).to.deep.equal(a.summary);
    const c = await sequence(8);
    expect(c.audit.events.map((e) => `${e.type}/${e.leadId}/${e.detail}`)).to.not.deep.equal(
      a.audit.events.map((e) => `${e.type}/${e.leadId}/${e.detail}`),
    );
  });

  it('exercises every step, failure and retry of the seed workflow', async () => {
    const { audit, summary } = await sequence(42, 200);
    const types = new Map<string, number>();
    for (const e of audit.events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
    for (const t of [
      'lead_ingested',
      'lead_qualified',
      'lead_routed',
      'crm_create',
      'crm_update',
      'email_scheduled',
      'email_sent',
      'email_cancelled',
      'error',
    ]) {
      expect(types.get(t) ?? 0, t).to.be.greaterThan(0);
    }
    expect(audit.events[0]).to.deep.equal({ type: 'workflow_started', detail: 'sales' });
    expect(audit.events.at(-1)).to.deep.equal({
      type: 'workflow_stopped',
      detail: 'sales completed: 200 leads processed',
    });
    expect(types.get('lead_ingested')).to.equal(200);
    expect(summary.leads).to.equal(200);
    // every qualified or nurtured lead is one lead_qualified event; rejected leads are one error each
    expect(types.get('lead_qualified')).to.equal(summary.qualified + summary.nurtured);
    expect(summary.qualified).to.be.greaterThan(20);
    expect(summary.nurtured).to.be.greaterThan(20);
    const errors = audit.events.filter((e) => e.type === 'error').map((e) => e.detail!.split(':')[0]);
    expect(new Set(errors)).to.include.members(['LeadValidationError', 'CrmRateLimited', 'CrmTimeout', 'EmailBounced']);
    expect(errors.filter((e) => e === 'LeadValidationError')).to.have.length(summary.rejected);
    expect(errors.filter((e) => e.startsWith('Crm'))).to.have.length(summary.crmRetries + summary.crmGivenUp * 3);
    expect(types.get('email_sent')).to.equal(summary.emailsSent);
    expect(types.get('email_cancelled')).to.equal(summary.sequencesCancelled);
    // a CRM retry: the error and then the successful create for the same lead
    const retry = audit.events.findIndex(
      (e, i) => e.type === 'error' && e.detail!.startsWith('Crm') && audit.events[i + 1]?.type === 'crm_create',
    );
    expect(retry).to.be.greaterThan(0);
    expect(audit.events[retry + 1]!.leadId).to.equal(audit.events[retry]!.leadId);
    // a bounce cancels the sequence
    const bounce = audit.events.findIndex((e) => e.type === 'error' && e.detail!.startsWith('EmailBounced'));
    expect(audit.events[bounce + 1]).to.deep.include({
      type: 'email_cancelled',
      detail: 'bounced',
      leadId: audit.events[bounce]!.leadId,
    });
    for (const op of Object.values(OPERATIONS)) expect(audit.operations.get(op) ?? 0, op).to.be.greaterThan(0);
  });

  it('generates realistic, varied personal data deterministically', () => {
    const subs = generateSubmissions(200, 'pii');
    expect(generateSubmissions(200, 'pii')).to.deep.equal(subs);
    const prefixes = new Set(subs.map((s) => s.phone.split(' ')[0]));
    expect(prefixes.size).to.be.greaterThanOrEqual(6);
    expect(subs.filter((s) => /@/.test(s.email)).length).to.be.greaterThan(180);
    expect(new Set(subs.map((s) => s.country)).size).to.be.greaterThanOrEqual(6);
    const lead = ingestLead({ ...subs[0]!, firstName: '  ANNA ', email: ' Anna.Weber@Example.DE ' });
    expect(lead).to.include({ name: `Anna ${subs[0]!.lastName}`, email: 'anna.weber@example.de', id: 'LEAD-00001' });
    expect(() => qualifyLead({ ...lead, email: 'n/a' })).to.throw(/no usable email/);
  });

  it('runs without audit steps (the variant for auto-instrumentation) with the same outcome', async () => {
    const subs = generateSubmissions(80, 3);
    const plain = await runSalesWorkflow(subs, { services: { seed: 3 } });
    const audited = await runDemo({ audit: new RecordingAudit(), leads: 80, seed: 3 });
    expect(plain).to.deep.equal(audited);
  });

  it('picks up patched module functions at call time (no edits to the workflow)', async () => {
    const { createSalesModules } = await import('../../examples/orchestrator/steps.js');
    const modules = createSalesModules({ seed: 1 });
    const calls: string[] = [];
    const patched = {
      ...modules,
      qualification: {
        qualifyLead: (...args: Parameters<typeof qualifyLead>) => {
          calls.push(args[0].id);
          return modules.qualification.qualifyLead(...args);
        },
      },
    };
    await runSalesWorkflow(generateSubmissions(5, 1), { modules: patched });
    expect(calls).to.deep.equal(['LEAD-00001', 'LEAD-00002', 'LEAD-00003', 'LEAD-00004', 'LEAD-00005']);
  });

  it('has an audit-free entry point with the same outcome, importing nothing from the SDK', async () => {
    const plain = await runPlainDemo(['--leads', '60', '--seed', '11', '--latency', '0-0']);
    const audited = await runDemo({ audit: new RecordingAudit(), leads: 60, seed: '11' });
    expect(plain).to.deep.equal(audited);
    const dir = join(import.meta.dirname, '../../examples');
    const files = [
      'plain-demo.js',
      'demo-args.js',
      ...readdirSync(join(dir, 'orchestrator'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => `orchestrator/${f}`),
    ];
    for (const f of files)
      expect(readFileSync(join(dir, f), 'utf8'), f).to.not.match(
        /from '\.\.\/(\.\.\/)?src\/|audit-helpers|audited-steps/,
      );
  });
});
