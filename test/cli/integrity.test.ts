/**
 * `audit-cli integrity` on real journals written by the real signing processor: clean across
 * rotation (gzip) and restarts, unsealed while a writer is live, and each tamper class — edit a
 * byte, delete a line, insert a line, swap two lines, truncate the tail — found with its class
 * and location and the documented exit code, in-process and through the spawned binary.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { emit } from '../journal/helpers.js';
import { runBin } from './spawn.js';
import { cli, FIXTURE_ENV, signedPipeline, tempDir, writeFixtureJournal } from './fixture.js';

interface Summary {
  status: string;
  exitCode: number;
  countsByClass: Record<string, number>;
  findings: { class: string; location: string; seq?: number }[];
  streams: { stream: string; sealed: boolean; status: string; previous?: { stream: string } }[];
  tornLines: string[];
  recordsVerified: number;
  segments: number;
}

async function integrity(file: string, env = FIXTURE_ENV): Promise<{ code: number; summary: Summary; stderr: string }> {
  const r = await cli(['--file', file, 'integrity', '--json'], env);
  expect(r.stderr).to.equal('');
  return { code: r.code, summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr };
}

function lines(file: string): string[] {
  const all = readFileSync(file, 'utf8').split('\n');
  all.pop();
  return all;
}

describe('audit-cli integrity on real journals', function () {
  this.timeout(30000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let original: string[];
  let n = 0;

  before(async () => {
    ({ dir, cleanup } = await tempDir('audit-integrity-test-'));
    const base = path.join(dir, 'base', 'audit.log');
    await writeFixtureJournal(base, { leads: 6 });
    original = lines(base);
    expect(original.length).to.be.greaterThan(20);
  });
  after(() => cleanup());

  /** Writes a tampered copy of the base journal and returns its path. */
  async function tampered(edit: (l: string[]) => string[], terminated = true): Promise<string> {
    const d = path.join(dir, `case-${++n}`);
    await mkdir(d, { recursive: true });
    const file = path.join(d, 'audit.log');
    const out = edit([...original]);
    writeFileSync(file, out.join('\n') + (terminated ? '\n' : ''));
    return file;
  }

  it('a journal rotated into gzip segments across three restarts verifies clean (exit 0)', async () => {
    const file = path.join(dir, 'rotated', 'audit.log');
    for (let i = 0; i < 3; i++) await writeFixtureJournal(file, { leads: 10, maxFileSizeMb: 0.004 });
    const gz = readdirSync(path.dirname(file)).filter((f) => f.endsWith('.log.gz'));
    expect(gz.length).to.be.greaterThan(3);
    const { code, summary } = await integrity(file);
    expect(code).to.equal(0);
    expect(summary.status).to.equal('clean');
    expect(summary.findings).to.deep.equal([]);
    expect(summary.segments).to.equal(gz.length + 1);
    expect(summary.streams).to.have.length(3);
    expect(summary.streams.every((s) => s.sealed && s.status === 'clean')).to.equal(true);
    expect(summary.streams[1]!.previous?.stream).to.equal(summary.streams[0]!.stream);
    expect(summary.streams[2]!.previous?.stream).to.equal(summary.streams[1]!.stream);
    const text = await cli(['--file', file, 'integrity'], FIXTURE_ENV);
    expect(text.code).to.equal(0);
    expect(text.stdout).to.contain('CLEAN').and.to.contain(`${summary.recordsVerified} record(s) verified`);
  });

  it('a live writer (no shutdown seal yet) is an unsealed tail: exit 2, not tampering', async () => {
    const file = path.join(dir, 'live', 'audit.log');
    const p = signedPipeline(file);
    try {
      for (let i = 0; i < 5; i++) emit(p.logger, { type: 'lead_ingested', leadId: `L${i}` });
      await p.provider.forceFlush();
      const { code, summary } = await integrity(file);
      expect(code).to.equal(2);
      expect(summary.status).to.equal('unsealed');
      expect(Object.keys(summary.countsByClass)).to.deep.equal(['unsealed-tail']);
    } finally {
      await p.close();
    }
    expect((await integrity(file)).code).to.equal(0, 'clean once the writer shut down with its seal');
  });

  const tamperCases: {
    name: string;
    edit: (l: string[]) => string[];
    cls: string;
    line: number | 'last';
    exit: number;
    terminated?: boolean;
  }[] = [
    {
      name: 'edit a byte of a record',
      edit: (l) => ((l[5] = l[5]!.replace('LEAD-001', 'LEAD-009')), l),
      cls: 'modified',
      line: 6,
      exit: 1,
    },
    {
      name: 'edit a byte of a signature',
      edit: (l) => ((l[5] = l[5]!.replace(/"sig":"(.)/, (_m, c: string) => `"sig":"${c === 'A' ? 'B' : 'A'}`)), l),
      cls: 'modified',
      line: 6,
      exit: 1,
    },
    { name: 'delete a line', edit: (l) => (l.splice(7, 1), l), cls: 'missing', line: 8, exit: 1 },
    {
      name: 'insert a copy of an earlier line (replay)',
      edit: (l) => (l.splice(8, 0, l[3]!), l),
      cls: 'inserted',
      line: 9,
      exit: 1,
    },
    {
      name: 'insert a forged line',
      edit: (l) => {
        const forged = JSON.parse(l[8]!) as { rec: { body: string } };
        forged.rec.body = 'forged approval';
        l.splice(9, 0, JSON.stringify(forged));
        return l;
      },
      cls: 'inserted',
      line: 10,
      exit: 1,
    },
    {
      name: 'insert a garbage line',
      edit: (l) => (l.splice(4, 0, 'hello, auditor'), l),
      cls: 'malformed',
      line: 5,
      exit: 1,
    },
    {
      name: 'swap two lines',
      edit: (l) => (([l[10], l[11]] = [l[11]!, l[10]!]), l),
      cls: 'reordered',
      line: 12,
      exit: 1,
    },
    // no writer holds these journals: a stream ending without its shutdown seal ended without closing
    {
      name: 'truncate the tail (last 3 lines, seal included)',
      edit: (l) => l.slice(0, -3),
      cls: 'unclosed',
      line: 'last',
      exit: 2,
    },
    {
      name: 'truncate the tail mid-line',
      edit: (l) => ((l[l.length - 1] = l[l.length - 1]!.slice(0, 40)), l),
      cls: 'unclosed',
      line: 'last',
      exit: 2,
      terminated: false,
    },
  ];

  for (const c of tamperCases) {
    it(`${c.name} → ${c.cls} listed with its location, exit ${c.exit}`, async () => {
      const file = await tampered(c.edit, c.terminated ?? true);
      const { code, summary } = await integrity(file);
      expect(code).to.equal(c.exit);
      expect(Object.keys(summary.countsByClass)).to.include(c.cls);
      const finding = summary.findings.find((f) => f.class === c.cls);
      expect(finding, JSON.stringify(summary.findings)).to.not.equal(undefined);
      // the unsealed tail is reported at the last record of the stream
      const line = c.line === 'last' ? lines(file).length : c.line;
      expect(finding!.location).to.equal(`${file}:${line}`);
      const text = await cli(['--file', file, 'integrity'], FIXTURE_ENV);
      expect(text.code).to.equal(c.exit);
      expect(text.stdout).to.contain(c.cls).and.to.contain(`${file}:${line}`);
      expect(text.stdout).to.contain(c.exit === 1 ? 'TAMPERED' : 'UNSEALED');
    });
  }

  it('a torn last line is listed as torn, not as tampering', async () => {
    const file = await tampered((l) => ((l[l.length - 1] = l[l.length - 1]!.slice(0, 40)), l), false);
    const { summary } = await integrity(file);
    expect(summary.tornLines).to.deep.equal([`${file}:${original.length}`]);
  });

  it('an edit inside a gzipped segment is found, located in that .gz file', async () => {
    const file = path.join(dir, 'gz', 'audit.log');
    await writeFixtureJournal(file, { leads: 10, maxFileSizeMb: 0.004 });
    const seg = readdirSync(path.dirname(file))
      .filter((f) => f.endsWith('.log.gz'))
      .sort()[1]!;
    const segPath = path.join(path.dirname(file), seg);
    const text = gunzipSync(readFileSync(segPath)).toString('utf8');
    const edited = text.replace(/"orchestrator\.workflow":"sales"/, '"orchestrator.workflow":"sale5"');
    expect(edited).to.not.equal(text);
    writeFileSync(segPath, gzipSync(edited));
    const { code, summary } = await integrity(file);
    expect(code).to.equal(1);
    expect(summary.findings.map((f) => f.class)).to.deep.equal(['modified']);
    expect(summary.findings[0]!.location).to.match(new RegExp(`${seg.replace(/\./g, '\\.')}:\\d+$`));
  });

  it('a damaged gzip segment is a malformed finding with the file named; the other segments are still verified', async () => {
    const file = path.join(dir, 'gz-damaged', 'audit.log');
    await writeFixtureJournal(file, { leads: 10, maxFileSizeMb: 0.004 });
    const seg = readdirSync(path.dirname(file))
      .filter((f) => f.endsWith('.log.gz'))
      .sort()[1]!;
    const segPath = path.join(path.dirname(file), seg);
    const bytes = readFileSync(segPath);
    writeFileSync(segPath, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const { code, summary } = await integrity(file);
    expect(code).to.equal(1);
    const malformed = summary.findings.filter((f) => f.class === 'malformed');
    expect(malformed).to.have.length(1);
    expect(malformed[0]!.location).to.contain(seg);
    expect(summary.recordsVerified).to.be.greaterThan(10, 'records of the other segments verified');
  });

  it('records signed with a key the verifier does not have are unknown-key (exit 1)', async () => {
    const file = await tampered((l) => l);
    const other = `k1:hex:${Buffer.alloc(32, 7).toString('hex')},k2:hex:${Buffer.alloc(32, 9).toString('hex')}`;
    const wrongSecret = await integrity(file, { AUDIT_VERIFY_KEYS: other });
    expect(wrongSecret.code).to.equal(1);
    const unknown = await integrity(file, { AUDIT_VERIFY_KEYS: `k9:hex:${Buffer.alloc(32, 7).toString('hex')}` });
    expect(unknown.code).to.equal(1);
    expect(Object.keys(unknown.summary.countsByClass)).to.include('unknown-key');
  });

  it('a wrong key (0 of N verified) is named as the likely cause; real tampering gets no such hint', async () => {
    const file = await tampered((l) => l);
    const wrongKey = { AUDIT_VERIFY_KEYS: `k1:hex:${Buffer.alloc(32, 7).toString('hex')}` };
    const text = await cli(['--file', file, 'integrity'], wrongKey);
    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(
      new RegExp(`0 of ${original.length} signed record\\(s\\) verified: most likely the wrong key`),
    );
    expect(text.stdout).to.contain('AUDIT_KEY_FILE');
    const json = JSON.parse((await cli(['--file', file, 'integrity', '--json'], wrongKey)).stdout) as { hint?: string };
    expect(json.hint).to.contain('most likely the wrong key');
    const unknownKid = await cli(['--file', file, 'integrity'], {
      AUDIT_VERIFY_KEYS: `k9:hex:${Buffer.alloc(32, 7).toString('hex')}`,
    });
    expect(unknownKid.stdout).to.contain('most likely the wrong key');
    // one edited record with the right key: the other records verify, no wrong-key hint
    const edited = await tampered((l) => ((l[5] = l[5]!.replace('LEAD-001', 'LEAD-009')), l));
    const genuine = await cli(['--file', edited, 'integrity'], FIXTURE_ENV);
    expect(genuine.code).to.equal(1);
    expect(genuine.stdout).to.not.contain('wrong key');
    expect(JSON.parse((await cli(['--file', edited, 'integrity', '--json'], FIXTURE_ENV)).stdout)).to.not.have.property(
      'hint',
    );
  });

  it('missing keys and missing journals are usage/IO errors (exit 3, nothing on stdout)', async () => {
    const noKeys = await cli(['--file', path.join(dir, 'base', 'audit.log'), 'integrity'], {});
    expect(noKeys.code).to.equal(3);
    expect(noKeys.stdout).to.equal('');
    expect(noKeys.stderr).to.contain('AUDIT_VERIFY_KEYS');
    const noJournal = await cli(['--file', path.join(dir, 'none', 'audit.log'), 'integrity'], FIXTURE_ENV);
    expect(noJournal.code).to.equal(3);
    expect(noJournal.stdout).to.equal('');
    expect(noJournal.stderr).to.contain('no audit journal');
  });

  it('integrity --source prometheus names the source as the problem even when no keys are configured', async () => {
    for (const env of [{}, FIXTURE_ENV]) {
      const r = await cli(['--source', 'prometheus', '--prometheus-url', 'http://127.0.0.1:9', 'integrity'], env);
      expect(r.code).to.equal(3);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.contain('Prometheus holds only metrics').and.not.to.contain('AUDIT_VERIFY_KEYS');
    }
  });

  it('the binary exits 0 clean, 1 tampered, 2 unsealed', async () => {
    const clean = await runBin(['--file', path.join(dir, 'base', 'audit.log'), 'integrity'], FIXTURE_ENV);
    expect(clean.code, clean.stderr).to.equal(0);
    expect(clean.stdout).to.contain('CLEAN');
    const bad = await runBin(
      ['--file', await tampered((l) => (l.splice(7, 1), l)), 'integrity', '--json'],
      FIXTURE_ENV,
    );
    expect(bad.code).to.equal(1);
    expect(JSON.parse(bad.stdout).countsByClass).to.deep.equal({ missing: 1 });
    const unsealed = await runBin(['--file', await tampered((l) => l.slice(0, -1)), 'integrity'], FIXTURE_ENV);
    expect(unsealed.code).to.equal(2);
    expect(unsealed.stdout).to.contain('unclosed');
  });
});
