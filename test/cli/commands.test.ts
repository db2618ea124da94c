/**
 * audit-cli read commands, in-process, on a real journal (rotated and gzipped segments):
 * output contents, --json shapes, filters, exit codes and error messages.
 */
import { expect } from 'chai';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CSV_COLUMNS } from '../../src/cli/commands/export.js';
import { quantileSorted } from '../../src/query/journal/percentiles.js';
import { cli, tempDir, writeFixtureJournal, type FixtureExpectations } from './fixture.js';

describe('audit-cli read commands (in-process, real journal)', function () {
  this.timeout(20000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  let expected: FixtureExpectations;
  const now = new Date();
  const nowIo = { now: () => now };

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    file = path.join(dir, 'logs', 'audit.log');
    expected = await writeFixtureJournal(file, { leads: 24, now, maxFileSizeMb: 0.004 });
  });
  after(() => cleanup());

  it('stats --json reports the totals, types and workflows of every segment', async () => {
    const r = await cli(['--file', file, 'stats', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const s = JSON.parse(r.stdout);
    expect(s.totalEvents).to.equal(expected.totalEvents);
    expect(s.leadsProcessed).to.equal(expected.leads);
    expect(s.errors).to.equal(expected.errors);
    expect(s.byType).to.deep.equal(expected.byType);
    expect(s.byWorkflow).to.deep.equal({ sales: expected.totalEvents });
    expect(s.journalHealth.segments).to.be.greaterThan(2, 'fixture must span rotated segments');
    expect(s.journalHealth.malformedLines).to.equal(0);
  });

  it('stats prints readable tables and reads AUDIT_FILE when --file is absent', async () => {
    const r = await cli(['stats'], { AUDIT_FILE: file });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Total events\s+│\s+\d+/);
    expect(r.stdout).to.contain(`│ Total events      │ ${expected.totalEvents}`);
    expect(r.stdout).to.contain('lead_ingested');
    expect(r.stdout).to.contain('Audit failures');
    expect(r.stdout).not.to.contain('\u001b[', 'no colour codes when not a terminal');
  });

  it('query --lead returns that lead history in chronological order across segments', async () => {
    const r = await cli(['--file', file, 'query', '--lead', 'LEAD-003', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out.events.map((e: { type: string }) => e.type)).to.deep.equal([
      'lead_ingested',
      'lead_qualified',
      'lead_routed',
      'crm_create',
      'email_sent',
    ]);
    expect(out.count).to.equal(5);
    for (const e of out.events) expect(e.leadId).to.equal('LEAD-003');
  });

  it('query --type, --workflow, --limit and --last filter as asked', async () => {
    const errors = JSON.parse((await cli(['--file', file, 'query', '--type', 'error', '--json'])).stdout);
    expect(errors.count).to.equal(expected.errors);
    const otel = JSON.parse((await cli(['--file', file, 'query', '--type', 'orchestrator.error', '--json'])).stdout);
    expect(otel.count).to.equal(expected.errors);
    const limited = JSON.parse((await cli(['--file', file, 'query', '--limit', '3', '--json'])).stdout);
    expect(limited.count).to.equal(3);
    const none = JSON.parse((await cli(['--file', file, 'query', '--workflow', 'billing', '--json'])).stdout);
    expect(none.count).to.equal(0);
    // lead i is at now - (24 - i) * 25 min: the last 2h hold leads 20..23
    const recent = JSON.parse(
      (await cli(['--file', file, 'query', '--last', '2h', '--type', 'lead_ingested', '--json'], {}, nowIo)).stdout,
    );
    expect(recent.events.map((e: { leadId: string }) => e.leadId)).to.deep.equal([
      'LEAD-020',
      'LEAD-021',
      'LEAD-022',
      'LEAD-023',
    ]);
    const ranged = JSON.parse(
      (
        await cli([
          '--file',
          file,
          'query',
          '--type',
          'lead_ingested',
          '--since',
          new Date(now.getTime() - 60 * 60_000).toISOString(),
          '--until',
          now.toISOString(),
          '--json',
        ])
      ).stdout,
    );
    expect(ranged.events.map((e: { leadId: string }) => e.leadId)).to.deep.equal(['LEAD-022', 'LEAD-023']);
  });

  it('query prints a table with a count, and a clear line when nothing matches', async () => {
    const r = await cli(['--file', file, 'query', '--lead', 'LEAD-007']);
    expect(r.stdout).to.contain('LEAD-007').and.to.contain('lead_ingested').and.to.contain('5 event(s)');
    const none = await cli(['--file', file, 'query', '--lead', 'NOPE']);
    expect(none.code).to.equal(0);
    expect(none.stdout).to.equal('No matching events.\n');
  });

  it('errors --limit shows the most recent errors with type, message and lead', async () => {
    const r = await cli(['--file', file, 'errors', '--limit', '2', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out.count).to.equal(2);
    expect(out.errors.map((e: { message: string }) => e.message)).to.deep.equal(expected.errorMessages.slice(-2));
    expect(out.errors[1]).to.include({ errorType: 'CrmTimeout', leadId: 'LEAD-020', workflow: 'sales' });
    const table = await cli(['--file', file, 'errors']);
    expect(table.stdout).to.contain('CrmTimeout').and.to.contain(`${expected.errors} error(s)`);
  });

  it('performance computes exact percentiles per operation', async () => {
    const r = await cli(['--file', file, 'performance', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.operations)).to.deep.equal(['crm_sync', 'email_send']);
    for (const [op, samples] of Object.entries(expected.durations)) {
      const sorted = [...samples].sort((a, b) => a - b);
      expect(out.operations[op].count).to.equal(samples.length);
      expect(out.operations[op].p95).to.be.closeTo(quantileSorted(sorted, 0.95), 1e-12);
      expect(out.operations[op].max).to.equal(sorted[sorted.length - 1]);
    }
    const one = await cli(['--file', file, 'performance', '--name', 'crm_sync']);
    expect(one.stdout).to.contain('crm_sync').and.not.to.contain('email_send');
    expect(one.stdout).to.match(/P95/);
  });

  it('export writes csv, json and ndjson with every event, to a file or stdout', async () => {
    const csvFile = path.join(dir, 'out.csv');
    const r = await cli(['--file', file, 'export', '--format', 'csv', '--output', csvFile]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.contain(`Exported ${expected.totalEvents} event(s) as csv`);
    const csv = (await readFile(csvFile, 'utf8')).trimEnd().split('\n');
    expect(csv[0]).to.equal(CSV_COLUMNS.join(','));
    expect(csv.length).to.equal(expected.totalEvents + 1);
    expect(csv.some((l) => l.includes('"{""orchestrator.error.message"":'))).to.equal(
      true,
      'attrs column is quoted JSON',
    );

    const json = await cli(['--file', file, 'export', '--format', 'json']);
    const arr = JSON.parse(json.stdout);
    expect(arr).to.have.length(expected.totalEvents);
    expect(arr[0]).to.include.keys('ts', 'type', 'stream', 'seq', 'attrs', 'location');

    const nd = await cli(['--file', file, 'export', '--format', 'ndjson', '--type', 'error']);
    const lines = nd.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).to.have.length(expected.errors);
    expect(lines.every((e) => e.type === 'error')).to.equal(true);

    const viaJson = await cli(['--file', file, 'export', '--json', '--type', 'error']);
    expect(JSON.parse(viaJson.stdout)).to.have.length(expected.errors);
    const conflict = await cli(['--file', file, 'export', '--json', '--format', 'csv']);
    expect(conflict.code).to.equal(3);
    expect(conflict.stderr).to.contain('--json conflicts with --format csv');

    const empty = await cli(['--file', file, 'export', '--format', 'json', '--lead', 'NOPE']);
    expect(JSON.parse(empty.stdout)).to.deep.equal([]);
  });

  it('bad options are usage errors: exit 3, message on stderr, nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['--file', file, 'query', '--last', '2x'], /invalid duration "2x"/],
      [['--file', file, 'query', '--last', '0h'], /greater than zero/],
      [['--file', file, 'query', '--since', 'yesterday'], /invalid --since "yesterday"/],
      // no such calendar day (Date would roll it over to March 2)
      [['--file', file, 'query', '--until', '2026-02-30'], /invalid --until "2026-02-30"/],
      [['--file', file, 'errors', '--since', '2026-04-31T10:00:00Z'], /invalid --since "2026-04-31T10:00:00Z"/],
      [['--file', file, 'query', '--since', '2026-02-05', '--until', '2026-02-04'], /time range is empty/],
      [['--file', file, 'query', '--limit', '-4'], /invalid --limit|too many arguments|unknown option/],
      [['--file', file, 'query', '--last', '1h', '--since', '2026-02-04'], /cannot be used with|together/],
      [['--file', file, 'export', '--format', 'xml'], /Allowed choices are csv, json, ndjson/],
      [['--file', file, 'frobnicate'], /unknown command 'frobnicate'/],
      [['--file', file, 'stats', '--bogus'], /unknown option '--bogus'/],
      [['--source', 'elastic', 'stats'], /Allowed choices are journal, loki, prometheus/],
      [['--source', 'loki', 'stats'], /--source loki needs --loki-url URL \(or AUDIT_LOKI_URL\)/],
      [['--source', 'prometheus', '--prometheus-url', 'not a url', 'stats'], /invalid --prometheus-url/],
      // nothing listens there: unreachable (or, in a build without the module, not available)
      [['--source', 'loki', '--loki-url', 'http://127.0.0.1:9', 'stats'], /loki/i],
      [['--source', 'prometheus', '--prometheus-url', 'http://127.0.0.1:9', 'query'], /prometheus/i],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).to.equal(3);
      expect(r.stdout, argv.join(' ')).to.equal('');
      expect(r.stderr, argv.join(' ')).to.match(message);
    }
  });

  it('a missing journal is a clear error (exit 3, nothing on stdout)', async () => {
    for (const cmd of ['stats', 'query', 'errors', 'performance', 'export', 'report']) {
      const r = await cli(['--file', path.join(dir, 'nope', 'audit.log'), cmd]);
      expect(r.code, cmd).to.equal(3);
      expect(r.stdout, cmd).to.equal('');
      expect(r.stderr, cmd)
        .to.contain(`no audit journal at ${path.join(dir, 'nope', 'audit.log')}`)
        .and.to.contain('--file');
    }
  });

  it('an unreadable segment (corrupt gzip) is a clear I/O error with its file name', async () => {
    const { dir: d2, cleanup: c2 } = await tempDir();
    try {
      const f2 = path.join(d2, 'audit.log');
      await writeFixtureJournal(f2, { leads: 2, now });
      await writeFile(path.join(d2, 'audit.20200101_000000.log.gz'), 'this is not gzip');
      const r = await cli(['--file', f2, 'stats']);
      expect(r.code).to.equal(3);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(/cannot read audit journal file .*audit\.20200101_000000\.log\.gz/);
    } finally {
      await c2();
    }
  });

  it('export fails before writing anything when a later gzip segment is corrupt (stdout empty, --output file untouched)', async () => {
    const { dir: d2, cleanup: c2 } = await tempDir();
    try {
      const f2 = path.join(d2, 'audit.log');
      await writeFixtureJournal(f2, { leads: 24, now, maxFileSizeMb: 0.004 });
      const gz = (await readdir(d2)).filter((n) => n.endsWith('.log.gz')).sort();
      expect(gz.length).to.be.at.least(2);
      const last = path.join(d2, gz[gz.length - 1]!);
      const bytes = await readFile(last);
      await writeFile(last, bytes.subarray(0, Math.floor(bytes.length / 2)));
      for (const format of ['csv', 'json', 'ndjson']) {
        const r = await cli(['--file', f2, 'export', '--format', format]);
        expect(r.code, format).to.equal(3);
        expect(r.stdout, format).to.equal('');
        expect(r.stderr, format).to.match(
          new RegExp(`cannot read audit journal file .*${gz[gz.length - 1]!.replace(/\./g, '\\.')}`),
        );
      }
      const out = path.join(d2, 'previous.csv');
      await writeFile(out, 'previous export\n');
      const r = await cli(['--file', f2, 'export', '--output', out]);
      expect(r.code).to.equal(3);
      expect(await readFile(out, 'utf8')).to.equal('previous export\n');
    } finally {
      await c2();
    }
  });

  it('stats counts unreadable journal lines as audit failures (torn and malformed)', async () => {
    const { dir: d2, cleanup: c2 } = await tempDir();
    try {
      const f2 = path.join(d2, 'audit.log');
      const written = await writeFixtureJournal(f2, { leads: 2, now });
      const text = await readFile(f2, 'utf8');
      const lines = text.split('\n');
      lines.splice(3, 0, 'not a record');
      // a garbage line in the middle, and the unterminated start of a record at the end (a torn write)
      await writeFile(f2, lines.join('\n') + '{"rec":{"attrs":{}');
      const r = await cli(['--file', f2, 'stats', '--json']);
      expect(r.code, r.stderr).to.equal(0);
      const s = JSON.parse(r.stdout);
      expect(s.journalHealth).to.include({ malformedLines: 1, tornLines: 1 });
      expect(s.totalEvents).to.equal(written.totalEvents);
      const table = await cli(['--file', f2, 'stats']);
      expect(table.stdout)
        .to.match(/unreadable lines \(torn by a crash\)\s+│\s+1/)
        .and.to.contain('Run `audit-cli integrity`');
    } finally {
      await c2();
    }
  });

  it('--help works on every command, with examples, and exits 0', async () => {
    for (const cmd of ['stats', 'query', 'errors', 'performance', 'integrity', 'export', 'report', 'hash']) {
      const r = await cli([cmd, '--help']);
      expect(r.code, cmd).to.equal(0);
      expect(r.stdout, cmd)
        .to.contain(`Usage: audit-cli ${cmd}`)
        .and.to.contain('Examples:')
        .and.to.contain('$ audit-cli ');
    }
    const top = await cli(['--help']);
    expect(top.code).to.equal(0);
    expect(top.stdout).to.contain('Exit codes:').and.to.contain('--source <source>');
    const none = await cli([]);
    expect(none.code).to.equal(3);
  });

  it('-f <a directory> says the path is a directory and names the file to give, for every command', async () => {
    const { dir, cleanup } = await tempDir('audit-cli-dir-');
    try {
      for (const argv of [
        ['-f', dir, 'stats'],
        ['--file', dir, 'query'],
        ['-f', dir, 'integrity'],
      ]) {
        const r = await cli(argv, { AUDIT_VERIFY_KEYS: `k1:hex:${'ab'.repeat(32)}` });
        expect(r.code, argv.join(' ')).to.equal(3);
        expect(r.stdout).to.equal('');
        expect(r.stderr)
          .to.contain(`${dir} is a directory, not an audit journal`)
          .and.to.contain(path.join(dir, 'audit.log'));
        expect(r.stderr).to.not.contain('neither the file nor rotated segments');
      }
    } finally {
      await cleanup();
    }
  });

  it('performance --help states the units the table and --json use', async () => {
    const r = await cli(['performance', '--help']);
    expect(r.stdout).to.not.match(/statistics per operation \(seconds\)/);
    expect(r.stdout).to.contain('850µs, 12.3ms, 1.234s').and.to.contain('--json gives plain numbers in seconds');
  });

  it('hash needs a key and never echoes the clear value', async () => {
    const r = await cli(['hash', 'jane@example.com']);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('AUDIT_PSEUDONYM_KEY');
    expect(r.stdout + r.stderr).not.to.contain('jane@example.com');
  });
});
