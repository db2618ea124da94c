import { expect } from 'chai';
import { ATTR } from '../../src/events/semconv.js';
import type { AuditLogger } from '../../src/logger/audit-logger.js';
import { HELPERS } from '../../src/logger/helper-table.js';
import { InputCoercer } from '../../src/logger/input.js';
import { LOGGER_FAILURE } from '../../src/logger/record-writer.js';
import { contentOf, testAudit, type TestAudit } from './fixture.js';

interface HelperCase {
  readonly call: (a: AuditLogger) => void;
  readonly event: string;
  readonly severity: 'INFO' | 'ERROR';
  readonly attrs: Record<string, unknown>;
  readonly body: RegExp;
}

const CASES: Record<string, HelperCase> = {
  logLeadIngested: {
    call: (a) => a.logLeadIngested('L-1', 'web_form', { score: 7, tags: ['b2b'], utm: { campaign: 'q1' } }, 'sales'),
    event: 'orchestrator.lead.ingested',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'lead_ingested',
      [ATTR.leadId]: 'L-1',
      [ATTR.workflow]: 'sales',
      [ATTR.leadSource]: 'web_form',
      [ATTR.leadData]: { score: 7, tags: ['b2b'], utm: { campaign: 'q1' } },
    },
    body: /^Lead L-1 ingested from web_form$/,
  },
  logLeadQualified: {
    call: (a) => a.logLeadQualified('L-1', true, 'score above 50', 'sales'),
    event: 'orchestrator.lead.qualified',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'lead_qualified',
      [ATTR.leadId]: 'L-1',
      [ATTR.workflow]: 'sales',
      [ATTR.leadQualified]: true,
      [ATTR.leadReason]: 'score above 50',
    },
    body: /^Lead L-1 qualified: score above 50$/,
  },
  logLeadRouted: {
    call: (a) => a.logLeadRouted('L-1', 'team-emea', 'country in EU', 'sales'),
    event: 'orchestrator.lead.routed',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'lead_routed',
      [ATTR.routeDestination]: 'team-emea',
      [ATTR.routeCondition]: 'country in EU',
    },
    body: /routed to team-emea/,
  },
  logCrmCreate: {
    call: (a) => a.logCrmCreate('L-1', 'SF-9', 'salesforce', 'sales'),
    event: 'orchestrator.crm.created',
    severity: 'INFO',
    attrs: { [ATTR.eventType]: 'crm_create', [ATTR.crmId]: 'SF-9', [ATTR.crmType]: 'salesforce', [ATTR.leadId]: 'L-1' },
    body: /CRM salesforce record SF-9 created for lead L-1/,
  },
  logCrmUpdate: {
    call: (a) => a.logCrmUpdate('L-1', 'SF-9', { stage: 'MQL', owner: 'team-emea' }, 'sales'),
    event: 'orchestrator.crm.updated',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'crm_update',
      [ATTR.crmId]: 'SF-9',
      [ATTR.crmFields]: { stage: 'MQL', owner: 'team-emea' },
    },
    body: /CRM record SF-9 updated for lead L-1/,
  },
  logEmailSent: {
    call: (a) => a.logEmailSent('L-1', 'lead@example.com', 'Welcome', 2, 'nurture'),
    event: 'orchestrator.email.sent',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'email_sent',
      [ATTR.emailRecipient]: 'lead@example.com',
      [ATTR.emailSubject]: 'Welcome',
      [ATTR.emailStep]: 2,
      [ATTR.workflow]: 'nurture',
    },
    body: /^Email step 2 sent to lead L-1$/,
  },
  logEmailScheduled: {
    call: (a) => a.logEmailScheduled('L-1', 'lead@example.com', 5, 'nurture'),
    event: 'orchestrator.email.scheduled',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'email_scheduled',
      [ATTR.emailSequenceLength]: 5,
      [ATTR.emailRecipient]: 'lead@example.com',
    },
    body: /sequence of 5 scheduled/,
  },
  logEmailCancelled: {
    call: (a) => a.logEmailCancelled('L-1', 'lead@example.com', 'unsubscribed', 'nurture'),
    event: 'orchestrator.email.cancelled',
    severity: 'INFO',
    attrs: { [ATTR.eventType]: 'email_cancelled', [ATTR.emailReason]: 'unsubscribed' },
    body: /cancelled for lead L-1: unsubscribed/,
  },
  logWorkflowStarted: {
    call: (a) => a.logWorkflowStarted('sales'),
    event: 'orchestrator.workflow.started',
    severity: 'INFO',
    attrs: { [ATTR.eventType]: 'workflow_started', [ATTR.workflow]: 'sales' },
    body: /^Workflow sales started$/,
  },
  logWorkflowStopped: {
    call: (a) => a.logWorkflowStopped('sales', 'maintenance'),
    event: 'orchestrator.workflow.stopped',
    severity: 'INFO',
    attrs: { [ATTR.eventType]: 'workflow_stopped', [ATTR.workflowReason]: 'maintenance' },
    body: /stopped: maintenance/,
  },
  logError: {
    call: (a) => a.logError('crm_timeout', 'CRM did not answer', 'L-1', 'sales', 'Error: timeout\n    at sync'),
    event: 'orchestrator.error',
    severity: 'ERROR',
    attrs: {
      [ATTR.eventType]: 'error',
      [ATTR.errorType]: 'crm_timeout',
      [ATTR.errorMessage]: 'CRM did not answer',
      [ATTR.leadId]: 'L-1',
      [ATTR.errorTraceback]: 'Error: timeout\n    at sync',
    },
    body: /^crm_timeout: CRM did not answer$/,
  },
  logEvent: {
    call: (a) => a.logEvent('invoice_sent', { leadId: 'L-1', workflow: 'billing', amount: 120.5 }),
    event: 'orchestrator.custom.invoice_sent',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'invoice_sent',
      [ATTR.leadId]: 'L-1',
      [ATTR.workflow]: 'billing',
      [ATTR.customFields]: { leadId: 'L-1', workflow: 'billing', amount: 120.5 },
    },
    body: /^Event invoice_sent$/,
  },
  trackPerformance: {
    call: (a) => a.trackPerformance('crm_sync', 0.123),
    event: 'orchestrator.performance',
    severity: 'INFO',
    attrs: {
      [ATTR.eventType]: 'performance',
      [ATTR.operation]: 'crm_sync',
      [ATTR.durationSeconds]: 0.123,
      [ATTR.workflow]: 'unknown',
    },
    body: /^crm_sync took 123\.0ms$/,
  },
};

describe('AuditLogger helpers', () => {
  let t: TestAudit;
  beforeEach(() => {
    t = testAudit();
  });
  afterEach(() => t.close());

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name} emits exactly one signed record with its documented name, severity and attributes`, async () => {
      c.call(t.audit);
      const records = await t.records();
      expect(records).to.have.length(1);
      const [r] = records;
      expect(r!.eventName).to.equal(c.event);
      expect(r!.severityText).to.equal(c.severity);
      expect(r!.severityNumber).to.equal(c.severity === 'ERROR' ? 17 : 9);
      for (const [key, value] of Object.entries(c.attrs)) expect(r!.attributes[key], key).to.deep.equal(value);
      expect(r!.attributes[ATTR.sanitized]).to.equal(undefined);
      expect(r!.attributes[ATTR.sig]).to.be.a('string').with.length.greaterThan(20);
      const content = contentOf(r!);
      expect(content.body).to.match(c.body);
      for (const [key, value] of Object.entries(c.attrs))
        expect(content.attrs[key], `signed ${key}`).to.deep.equal(value);
      expect(t.audit.getDiagnostics().totalFailures).to.equal(0);
    });
  }

  it('has a case for every helper of the table, with the event type the table names', () => {
    expect(Object.keys(CASES)).to.include.members(Object.keys(HELPERS));
    for (const [name, spec] of Object.entries(HELPERS))
      expect(CASES[name]!.attrs[ATTR.eventType], name).to.equal(spec.type);
  });

  it('writes the minimal record, with the lead id and workflow the caller gave, when building a record fails', async () => {
    const coerce = InputCoercer.prototype.workflow;
    for (const name of Object.keys(HELPERS)) {
      const c = CASES[name]!;
      c.call(t.audit);
      InputCoercer.prototype.workflow = () => {
        throw new Error('coercion failed');
      };
      try {
        expect(() => c.call(t.audit), name).to.not.throw();
      } finally {
        InputCoercer.prototype.workflow = coerce;
      }
    }
    const records = await t.records();
    expect(records).to.have.length(2 * Object.keys(HELPERS).length);
    for (let i = 0; i < records.length; i += 2) {
      const [normal, minimal] = [records[i]!, records[i + 1]!];
      const type = normal.attributes[ATTR.eventType];
      expect(minimal.attributes[ATTR.eventType], String(type)).to.equal(type);
      expect(minimal.eventName).to.equal(normal.eventName);
      expect(minimal.severityText).to.equal(normal.severityText);
      expect(minimal.attributes[ATTR.sanitized]).to.deep.equal(['internal-error']);
      expect(minimal.attributes[ATTR.workflow], `${String(type)} workflow`).to.equal(normal.attributes[ATTR.workflow]);
      expect(minimal.attributes[ATTR.leadId], `${String(type)} lead`).to.equal(normal.attributes[ATTR.leadId]);
    }
    expect(t.audit.diagnostics.total(LOGGER_FAILURE.build)).to.equal(Object.keys(HELPERS).length);
  });

  it('records the timestamp of the call', async () => {
    const before = Date.now();
    t.audit.logWorkflowStarted('sales');
    const [r] = await t.records();
    const ms = r!.hrTime[0] * 1000 + r!.hrTime[1] / 1e6;
    expect(ms).to.be.within(before - 1, Date.now() + 1);
  });

  it('leaves the workflow "unknown" when it is not given and does not count that as a failure', async () => {
    t.audit.logLeadRouted('L-2', 'team-us');
    const [r] = await t.records();
    expect(r!.attributes[ATTR.workflow]).to.equal('unknown');
    expect(r!.attributes[ATTR.sanitized]).to.equal(undefined);
  });

  it('omits lead id and traceback of logError when not given', async () => {
    t.audit.logError('config', 'missing setting');
    const [r] = await t.records();
    expect(r!.attributes).to.not.have.property(ATTR.leadId);
    expect(r!.attributes).to.not.have.property(ATTR.errorTraceback);
  });

  it('chains the records of one logger in one signed stream', async () => {
    t.audit.logWorkflowStarted('sales');
    t.audit.logLeadIngested('L-3', 'api', {}, 'sales');
    const records = await t.records();
    expect(records.map((r) => r.attributes[ATTR.seq])).to.deep.equal([1, 2]);
    expect(contentOf(records[1]!)).to.have.property('prev', records[0]!.attributes[ATTR.sig]);
  });

  it('anonymizes PII only after enableComplianceMode, without touching the caller data', async () => {
    const data = { email: 'jane.doe@example.com', score: 3 };
    t.audit.logLeadIngested('L-4', 'web', data, 'sales');
    t.audit.enableComplianceMode({ anonymizePii: true });
    t.audit.logLeadIngested('L-4', 'web', data, 'sales');
    const [plain, anonymized] = await t.records();
    expect(JSON.stringify(plain!.attributes[ATTR.leadData])).to.contain('jane.doe@example.com');
    expect(JSON.stringify(anonymized!.attributes[ATTR.leadData])).to.not.contain('jane.doe@example.com');
    expect(String(anonymized!.body)).to.not.contain('jane.doe@example.com');
    expect(data).to.deep.equal({ email: 'jane.doe@example.com', score: 3 });
    expect(t.audit.getDiagnostics().anonymizingPii).to.equal(true);
  });
});
