import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AuditKeyError } from '../../src/processors/signing/keys.js';
import { JournalLockedError } from '../../src/sinks/journal/errors.js';
import {
  createAuditLogger,
  getAuditLogger,
  setAuditLogger,
  startAuditFromEnv,
} from '../../src/logger/default-logger.js';
import { optionsFromEnv, otlpFromEnv } from '../../src/logger/env.js';
import { TEST_KEY, testAudit } from './fixture.js';

const HEX_KEY = TEST_KEY.toString('hex');

describe('AuditLogger start-up, environment and journal queries', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-logger-'));
  });
  afterEach(async () => {
    const previous = setAuditLogger(undefined);
    await previous?.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  it('throws AuditKeyError at creation when integrity is on and no key is configured', () => {
    expect(() => createAuditLogger({ env: {}, auditFile: join(dir, 'audit.log') })).to.throw(
      AuditKeyError,
      /AUDIT_SIGNING_KEY|key/,
    );
  });

  it("the missing-key error names the AuditLogger's own switch to turn signing off, and that switch works", async () => {
    let message = '';
    try {
      createAuditLogger({ env: {} });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain('enableIntegrity: false').and.to.contain('AUDIT_ENABLE_INTEGRITY=false');
    const unsigned = createAuditLogger({ env: {}, enableIntegrity: false });
    await unsigned.shutdown();
    const fromEnv = startAuditFromEnv({ auditFile: join(dir, 'audit.log') }, { AUDIT_ENABLE_INTEGRITY: 'false' });
    await fromEnv.shutdown();
  });

  it('refuses a second logger on the same journal with JournalLockedError, at creation', async () => {
    const auditFile = join(dir, 'audit.log');
    const first = createAuditLogger({ env: {}, signingKey: HEX_KEY, auditFile });
    try {
      expect(() => createAuditLogger({ env: {}, signingKey: HEX_KEY, auditFile })).to.throw(JournalLockedError);
      first.logWorkflowStarted('sales');
    } finally {
      await first.shutdown();
    }
    const again = createAuditLogger({ env: {}, signingKey: HEX_KEY, auditFile });
    await again.shutdown();
  });

  it('a start-up error after the journal was opened releases it for a corrected retry', async () => {
    const auditFile = join(dir, 'audit.log');
    expect(() =>
      createAuditLogger({ env: {}, signingKey: HEX_KEY, auditFile, meterProvider: 'not a provider' as never }),
    ).to.throw();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const retry = createAuditLogger({ env: {}, signingKey: HEX_KEY, auditFile });
    retry.logWorkflowStarted('sales');
    await retry.shutdown();
  });

  it('starts without a key when integrity is off', async () => {
    const t = testAudit({ signingKey: undefined, enableIntegrity: false });
    t.audit.logWorkflowStarted('sales');
    const [r] = await t.records();
    expect(r!.attributes['audit.sig']).to.equal('');
    await t.close();
  });

  it('startAuditFromEnv reads AUDIT_* / OTEL_* variables and becomes the default logger', async () => {
    const env = {
      AUDIT_SIGNING_KEY: HEX_KEY,
      AUDIT_FILE: join(dir, 'audit.log'),
      OTEL_SERVICE_NAME: 'lead-bot',
      AUDIT_ANONYMIZE_PII: 'true',
    };
    const audit = startAuditFromEnv({}, env);
    expect(getAuditLogger()).to.equal(audit);
    expect(audit.getDiagnostics().anonymizingPii).to.equal(true);
    audit.logLeadIngested('L-9', 'web', { note: 'hi' }, 'sales');
    const history = await audit.getLeadHistory('L-9');
    expect(history.map((e) => e.type)).to.deep.equal(['lead_ingested']);
  });

  it('optionsFromEnv maps the variables and rejects malformed ones', () => {
    const options = optionsFromEnv({
      AUDIT_FILE: 'off',
      AUDIT_MAX_FILE_SIZE_MB: '5',
      AUDIT_COMPRESSION_LEVEL: '9',
      AUDIT_ENABLE_INTEGRITY: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(options.auditFile).to.equal(undefined);
    expect(options.maxFileSizeMb).to.equal(5);
    expect(options.compressionLevel).to.equal(9);
    expect(options.enableIntegrity).to.equal(false);
    expect(options.otlp).to.deep.include({ endpoint: 'http://collector:4318', metrics: true });
    expect(optionsFromEnv({}).auditFile).to.equal('logs/audit.log');
    expect(() => optionsFromEnv({ AUDIT_RETENTION_DAYS: 'soon' })).to.throw(RangeError, /AUDIT_RETENTION_DAYS/);
    expect(() => optionsFromEnv({ AUDIT_ENABLE_ROTATION: 'maybe' })).to.throw(RangeError, /AUDIT_ENABLE_ROTATION/);
    for (const bad of ['0', '10', '2.5', 'fast'])
      expect(() => optionsFromEnv({ AUDIT_COMPRESSION_LEVEL: bad }), bad).to.throw(
        RangeError,
        /AUDIT_COMPRESSION_LEVEL/,
      );
    expect(() => optionsFromEnv({ AUDIT_ANONYMIZE_PII: 'sure' })).to.throw(RangeError, /AUDIT_ANONYMIZE_PII/);
    expect(() => optionsFromEnv({ OTEL_SDK_DISABLED: 'nah', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).to.throw(
      RangeError,
      /OTEL_SDK_DISABLED/,
    );
  });

  it('otlpFromEnv honours signal-specific endpoints, headers and OTEL_SDK_DISABLED', () => {
    expect(otlpFromEnv({})).to.equal(undefined);
    expect(otlpFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).to.equal(
      undefined,
    );
    expect(
      otlpFromEnv({
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://c:4318/custom/logs',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=t1',
        OTEL_METRICS_EXPORTER: 'none',
      }),
    ).to.deep.equal({
      logsUrl: 'http://c:4318/custom/logs',
      headers: { authorization: 'Bearer abc', 'x-tenant': 't1' },
      metrics: false,
    });
    // the same parser as the OTLP sink: a malformed escape drops that entry instead of throwing at start-up
    expect(
      otlpFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'bad=%zz,ok=1' })
        ?.headers,
    ).to.deep.equal({ ok: '1' });
  });

  it('queries the journal: queryEvents, getLeadHistory, getStatistics', async () => {
    const audit = createAuditLogger({
      signingKey: TEST_KEY,
      env: {},
      auditFile: join(dir, 'audit.log'),
      sealIntervalMs: 0,
    });
    setAuditLogger(audit);
    audit.logLeadIngested('L-1', 'web', { score: 1 }, 'sales');
    audit.logLeadQualified('L-1', true, 'fit', 'sales');
    audit.logLeadIngested('L-2', 'api', {}, 'nurture');
    audit.logError('smtp', 'refused', 'L-2', 'nurture');
    expect((await audit.getLeadHistory('L-1')).map((e) => e.type)).to.deep.equal(['lead_ingested', 'lead_qualified']);
    const errors = await audit.queryEvents({ eventType: 'error' });
    expect(errors.map((e) => e.leadId)).to.deep.equal(['L-2']);
    const stats = await audit.getStatistics({ workflow: 'sales' });
    expect(stats).to.include({ totalEvents: 2, leadsProcessed: 1, errors: 0 });
  });

  it('rejects queries with a clear error when no journal is configured', async () => {
    const t = testAudit();
    let caught: unknown;
    await t.audit.queryEvents().catch((err: unknown) => {
      caught = err;
    });
    expect(String(caught)).to.match(/no journal configured.*auditFile/);
    await t.close();
  });

  it('forwards records to webhooks and alert processors added later', async () => {
    const t = testAudit();
    const seen: string[] = [];
    t.audit.configureAlerts({ errorThreshold: 1, cooldownSeconds: 0 });
    t.audit.alertHandlers.push((message) => {
      seen.push(message);
    });
    t.audit.logError('crm_timeout', 'slow', 'L-1', 'sales');
    const deadline = Date.now() + 5000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen).to.have.length(1);
    expect(() => t.audit.addWebhook('ftp://nope')).to.throw(TypeError);
    await t.close();
  });
});
