/**
 * `--source loki` plumbing: audit-cli reads events and signed records through the Loki query
 * source from the loopback Loki stand-in of test/query/loki-stand-in.ts (Loki's documented
 * query_range API, LogQL matchers and filters, direction, limits), holding the records of a real
 * journal as Loki stores what the shipper sends (log line = canonical record, attributes such as
 * audit_sig / audit_stream / audit_seq / orchestrator_lead_id as structured metadata), so the
 * filters the source pushes down to Loki are evaluated. The real-collector end-to-end tests live
 * with the stack (@e2e).
 */
import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { otlpLogEncoding } from '../../src/sinks/shipper/otlp-encoding.js';
import { LokiStandIn, lokiEntryFromOtlp, type StandInEntry } from '../query/loki-stand-in.js';
import { receivedLogsOf, type OtlpLogsJson } from '../stack/otlp-log-receiver.js';
import { cli, FIXTURE_ENV, tempDir, writeFixtureJournal, type FixtureExpectations } from './fixture.js';

describe('audit-cli --source loki (loopback Loki API)', function () {
  this.timeout(30000);
  let cleanup: () => Promise<void>;
  const loki = new LokiStandIn();
  let url: string;
  let expected: FixtureExpectations;
  const original: StandInEntry[] = [];
  let journalFile: string;

  before(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'audit.log');
    journalFile = file;
    expected = await writeFixtureJournal(file, { leads: 6 });
    // What Loki holds after the shipper sent the journal: the shipper's own OTLP encoding of each
    // line, stored the way Loki's OTLP ingestion stores a log record (attributes as metadata).
    const encoding = otlpLogEncoding('http/json', { 'service.name': 'orchestrator' }, 'orchestrator-audit');
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const request = encoding.request(lines.map((l) => encoding.entryOf(l)));
    original.push(...receivedLogsOf(JSON.parse(request.toString('utf8')) as OtlpLogsJson).map(lokiEntryFromOtlp));
    if (original.length === 0 || original.some((e) => !e.metadata.audit_sig))
      throw new Error('fixture line not encoded as a signed record');
    await loki.start();
    url = loki.url;
  });
  beforeEach(() => {
    loki.entries.length = 0;
    loki.entries.push(...original.map((e) => ({ ...e, metadata: { ...e.metadata } })));
  });
  after(async () => {
    await loki.stop();
    await cleanup?.();
  });

  it('stats and query read the events back through Loki', async () => {
    const stats = await cli(['--source', 'loki', '--loki-url', url, 'stats', '--json']);
    expect(stats.code, stats.stderr).to.equal(0);
    const s = JSON.parse(stats.stdout);
    expect(s).to.include({
      totalEvents: expected.totalEvents,
      errors: expected.errors,
      leadsProcessed: expected.leads,
    });
    expect(s.source).to.equal(`loki ${url}`);
    const lead = await cli(['query', '--lead', 'LEAD-003', '--json'], { AUDIT_SOURCE: 'loki', AUDIT_LOKI_URL: url });
    expect(JSON.parse(lead.stdout).events.map((e: { type: string }) => e.type)).to.deep.equal([
      'lead_ingested',
      'lead_qualified',
      'lead_routed',
      'crm_create',
      'email_sent',
    ]);
  });

  it('integrity --source loki verifies the records Loki returns (exit 0)', async () => {
    const r = await cli(['--source', 'loki', '--loki-url', url, 'integrity', '--json'], FIXTURE_ENV);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).recordsVerified).to.equal(original.length);
  });

  it('a record altered in Loki is found (modified, exit 1) with its Loki location', async () => {
    const victim = loki.entries[4]!;
    loki.entries[4] = { ...victim, line: victim.line.replace('"sales"', '"s4les"') };
    const r = await cli(['--source', 'loki', '--loki-url', url, 'integrity', '--json'], FIXTURE_ENV);
    expect(r.code).to.equal(1);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s.countsByClass)).to.deep.equal(['modified']);
    expect(s.findings[0].location).to.match(/^loki:/);
  });

  it('a record missing from Loki is a gap (missing, exit 1)', async () => {
    loki.entries.splice(6, 1);
    const r = await cli(['--source', 'loki', '--loki-url', url, 'integrity'], FIXTURE_ENV);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain('missing').and.to.contain('TAMPERED');
  });

  it('integrity --witness loki: the seals Loki holds must be in the journal; a journal cut before the last one is witness-mismatch (exit 1)', async () => {
    const whole = await cli(
      ['--file', journalFile, '--loki-url', url, 'integrity', '--witness', 'loki', '--json'],
      FIXTURE_ENV,
    );
    expect(whole.code, whole.stdout + whole.stderr).to.equal(0);
    expect(JSON.parse(whole.stdout).witnessEntries).to.be.greaterThan(0);
    const cutDir = path.join(path.dirname(journalFile), 'cut');
    mkdirSync(cutDir, { recursive: true });
    const cut = path.join(cutDir, 'audit.log');
    const lines = readFileSync(journalFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    writeFileSync(
      cut,
      lines
        .slice(0, -2)
        .map((l) => l + '\n')
        .join(''),
    );
    const alone = await cli(['--file', cut, 'integrity', '--json'], FIXTURE_ENV);
    expect(Object.keys(JSON.parse(alone.stdout).countsByClass)).to.deep.equal(['unclosed']);
    const witnessed = await cli(
      ['--file', cut, '--loki-url', url, 'integrity', '--witness', 'loki', '--json'],
      FIXTURE_ENV,
    );
    expect(witnessed.code).to.equal(1);
    const s = JSON.parse(witnessed.stdout);
    expect(Object.keys(s.countsByClass).sort()).to.deep.equal(['unclosed', 'witness-mismatch']);
    expect(s.findings.find((f: { class: string }) => f.class === 'witness-mismatch').location).to.match(/^loki:/);
  });

  it('report --source loki writes the report from Loki with its integrity status', async () => {
    const { dir: out, cleanup: done } = await tempDir();
    try {
      const r = await cli(
        ['--source', 'loki', '--loki-url', url, 'report', '--daily', '--output', out, '--json'],
        FIXTURE_ENV,
      );
      expect(r.code, r.stderr).to.equal(0);
      const [rep] = JSON.parse(r.stdout).reports;
      expect(rep).to.include({ period: 'daily', integrity: 'clean' });
      expect(rep.totals).to.include({ events: expected.totalEvents, errors: expected.errors, leads: expected.leads });
      expect(readFileSync(rep.path, 'utf8')).to.contain(`source: loki ${url}`);
    } finally {
      await done();
    }
  });
});
