/**
 * `--source loki` plumbing: audit-cli reads events and signed records through the Loki query
 * source from a loopback HTTP server answering Loki's documented query_range API with the
 * records of a real journal (log line = canonical record, structured metadata audit_sig /
 * audit_stream / audit_seq). The real-Loki end-to-end tests live with the stack (@e2e).
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJournal } from '../../src/sinks/journal/reader.js';
import { cli, FIXTURE_ENV, tempDir, writeFixtureJournal, type FixtureExpectations } from './fixture.js';

interface FakeEntry {
  ns: bigint;
  line: string;
  metadata: Record<string, string>;
}

describe('audit-cli --source loki (loopback Loki API)', function () {
  this.timeout(30000);
  let cleanup: () => Promise<void>;
  let server: Server;
  let url: string;
  let expected: FixtureExpectations;
  let entries: FakeEntry[] = [];
  const original: FakeEntry[] = [];
  let journalFile: string;

  before(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const file = path.join(t.dir, 'audit.log');
    journalFile = file;
    expected = await writeFixtureJournal(file, { leads: 6 });
    for await (const e of readJournal(file)) {
      if (!e.decoded.ok) throw new Error('fixture line not decodable');
      const { rec, sig } = e.decoded.record;
      const ns = BigInt(Date.parse(rec.ts)) * 1_000_000n + BigInt(rec.tsNanos);
      original.push({
        ns,
        line: e.decoded.canonical,
        metadata: { audit_sig: sig, audit_stream: rec.stream, audit_seq: String(rec.seq) },
      });
    }
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname !== '/loki/api/v1/query_range') {
        res.writeHead(404).end();
        return;
      }
      const start = BigInt(u.searchParams.get('start') ?? '0');
      const end = BigInt(u.searchParams.get('end') ?? '0');
      const limit = Number(u.searchParams.get('limit') ?? '100');
      const page = entries.filter((e) => e.ns >= start && e.ns < end).slice(0, limit);
      const body = {
        status: 'success',
        data: {
          resultType: 'streams',
          encodingFlags: ['categorize-labels'],
          result: [
            {
              stream: { service_name: 'orchestrator' },
              values: page.map((e) => [String(e.ns), e.line, { structuredMetadata: e.metadata }]),
            },
          ],
        },
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    entries = original.map((e) => ({ ...e, metadata: { ...e.metadata } }));
  });
  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
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
    const victim = entries[4]!;
    victim.line = victim.line.replace('"sales"', '"s4les"');
    const r = await cli(['--source', 'loki', '--loki-url', url, 'integrity', '--json'], FIXTURE_ENV);
    expect(r.code).to.equal(1);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s.countsByClass)).to.deep.equal(['modified']);
    expect(s.findings[0].location).to.match(/^loki:/);
  });

  it('a record missing from Loki is a gap (missing, exit 1)', async () => {
    entries.splice(6, 1);
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
