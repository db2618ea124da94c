/**
 * The attack table of docs/integrity.md, row by row: journals written through the public API
 * (createAuditLogger, three logger lifetimes, periodic seals, a file witness on another directory
 * and a webhook witness on a loopback HTTP receiver), then tampered with as files, then checked
 * with `audit-cli integrity` alone and with `--witness`. Each row asserts the finding class and
 * the exit code the table documents.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { JournalLayout } from '../../src/sinks/journal/layout.js';
import { waitFor } from '../journal/helpers.js';
import { forgeLine } from '../verify/helpers.js';
import { cli, FIXTURE_ENV, FIXTURE_KEY, tempDir } from './fixture.js';

interface Summary {
  exitCode: number;
  countsByClass: Record<string, number>;
  findings: { class: string; stream?: string; detail: string }[];
  streams: { stream: string; status: string; previous?: { stream: string; found: boolean; explained?: string } }[];
}

/** Leads per run: with a seal every 4 records a run is r r r r S r r S(shutdown). */
const LEADS = 6;

/** A loopback webhook-witness receiver: keeps every POSTed event, returns them all on GET. */
async function startReceiver(): Promise<{ server: Server; url: string; events: unknown[] }> {
  const events: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: unknown[] };
        events.push(...payload.events);
        res.writeHead(204).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(events));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/witness`, events };
}

/** One logger lifetime writing `LEADS` leads to `file`, with the given witnesses. */
async function run(file: string, tag: string, witnesses: { file?: string; url?: string } = {}): Promise<void> {
  const audit = createAuditLogger({
    auditFile: file,
    signingKey: FIXTURE_KEY,
    signingKeyId: 'k1',
    flushIntervalMs: 20,
    sealEveryRecords: 4,
    sealIntervalMs: 0,
    env: {},
    witnesses: [
      ...(witnesses.file ? [{ file: witnesses.file }] : []),
      ...(witnesses.url ? [{ url: witnesses.url }] : []),
    ],
  });
  for (let i = 0; i < LEADS; i++) audit.logLeadIngested(`LEAD-${tag}-${i}`, 'web_form', { company: 'Acme' }, 'sales');
  await audit.shutdown();
}

function linesOf(file: string): string[] {
  const all = readFileSync(file, 'utf8').split('\n');
  all.pop();
  return all;
}

function streamOf(line: string): string {
  return (JSON.parse(line) as { rec: { stream: string } }).rec.stream;
}

function eventOf(line: string): string | null {
  return (JSON.parse(line) as { rec: { event: string | null } }).rec.event;
}

describe('attack table: what audit-cli integrity detects, alone and with a witness', function () {
  this.timeout(60000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let journal: string;
  let witnessFile: string;
  let original: string[];
  let runs: string[];
  let n = 0;

  before(async () => {
    ({ dir, cleanup } = await tempDir('audit-attacks-'));
    receiver = await startReceiver();
    journal = path.join(dir, 'journal', 'audit.log');
    mkdirSync(path.join(dir, 'other-volume'), { recursive: true });
    witnessFile = path.join(dir, 'other-volume', 'seals.log');
    for (const tag of ['a', 'b', 'c']) await run(journal, tag, { file: witnessFile, url: receiver.url });
    original = linesOf(journal);
    runs = [...new Set(original.map(streamOf))];
    expect(runs).to.have.length(3);
  });
  after(async () => {
    await new Promise((r) => receiver.server.close(r));
    await cleanup();
  });

  /** A tampered copy of the journal; returns its path. */
  function tampered(edit: (lines: string[]) => string[]): string {
    const file = path.join(dir, `case-${++n}`, 'audit.log');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      edit([...original])
        .map((l) => l + '\n')
        .join(''),
    );
    return file;
  }

  async function integrity(file: string, ...extra: string[]): Promise<Summary> {
    const r = await cli(['--file', file, 'integrity', '--json', ...extra], FIXTURE_ENV);
    expect(r.stderr).to.equal('');
    const summary = JSON.parse(r.stdout) as Summary;
    expect(r.code).to.equal(summary.exitCode);
    return summary;
  }

  const classes = (s: Summary): string[] => Object.keys(s.countsByClass).sort();
  const runLines = (lines: string[], i: number): number[] =>
    lines.flatMap((l, k) => (streamOf(l) === runs[i] ? [k] : []));

  it('untouched: three linked runs, each closed by its shutdown seal, are clean with and without witnesses (exit 0)', async () => {
    const s = await integrity(journal, '--witness', `file:${witnessFile}`, '--witness', receiver.url);
    expect(s.exitCode).to.equal(0);
    expect(s.findings).to.deep.equal([]);
    expect(s.streams.map((x) => x.status)).to.deep.equal(['clean', 'clean', 'clean']);
    // every run's seals reached both witnesses: 2 per run
    expect(linesOf(witnessFile)).to.have.length(6);
    expect(receiver.events).to.have.length(6);
  });

  it('edit a value → modified (exit 1)', async () => {
    const s = await integrity(tampered((l) => ((l[2] = l[2]!.replace('LEAD-a-2', 'LEAD-a-9')), l)));
    expect(classes(s)).to.deep.equal(['modified']);
    expect(s.exitCode).to.equal(1);
  });

  it('delete a line → missing (exit 1)', async () => {
    const s = await integrity(tampered((l) => (l.splice(1, 1), l)));
    expect(classes(s)).to.deep.equal(['missing']);
    expect(s.exitCode).to.equal(1);
  });

  it('delete a run (the middle one, every line) → missing-stream (exit 1)', async () => {
    const s = await integrity(tampered((l) => l.filter((x) => streamOf(x) !== runs[1])));
    expect(classes(s)).to.deep.equal(['missing-stream']);
    expect(s.findings[0]!.stream).to.equal(runs[1]);
    expect(s.exitCode).to.equal(1);
    expect(s.streams[1]!.previous).to.include({ stream: runs[1], found: false });
  });

  it('cut the tail (last records and the shutdown seal) → unclosed (exit 2)', async () => {
    const s = await integrity(tampered((l) => l.slice(0, -2)));
    expect(classes(s)).to.deep.equal(['unclosed']);
    expect(s.streams[2]!.status).to.equal('unclosed');
    expect(s.exitCode).to.equal(2);
  });

  it('cut at a seal (the newest run cut right after its periodic seal) → unclosed (exit 2), not clean', async () => {
    const file = tampered((l) => {
      const last = runLines(l, 2);
      const periodic = last.find((k) => eventOf(l[k]!) === 'audit.seal')!;
      expect(periodic).to.be.lessThan(last[last.length - 1]!);
      return l.slice(0, periodic + 1);
    });
    const s = await integrity(file);
    expect(classes(s)).to.deep.equal(['unclosed']);
    expect(s.findings[0]!.detail).to.contain('periodic seal');
    expect(s.exitCode).to.equal(2);
  });

  it('delete the newest run: undetectable alone (exit 0); the file and webhook witnesses find it (exit 1)', async () => {
    const file = tampered((l) => l.filter((x) => streamOf(x) !== runs[2]));
    expect((await integrity(file)).exitCode).to.equal(0);
    for (const witness of [`file:${witnessFile}`, receiver.url]) {
      const s = await integrity(file, '--witness', witness);
      expect(classes(s), witness).to.deep.equal(['witness-mismatch']);
      expect(s.findings[0]!.stream).to.equal(runs[2]);
      expect(s.exitCode).to.equal(1);
    }
  });

  it("a cut the witness saw past: a journal that ends before the witness's last head (exit 1)", async () => {
    const file = tampered((l) => l.slice(0, -2));
    const s = await integrity(file, '--witness', `file:${witnessFile}`);
    expect(classes(s)).to.deep.equal(['unclosed', 'witness-mismatch']);
    expect(s.findings.find((f) => f.class === 'witness-mismatch')!.detail).to.contain(
      'before the head the witness saw',
    );
    expect(s.exitCode).to.equal(1);
  });

  it('replace the journal with one re-signed by a stolen key: undetectable alone (exit 0); a witness finds it (exit 1)', async () => {
    // the attacker holds the key: every record re-signed after an edit, chain and seals recomputed
    const forgedDir = path.join(dir, 'forged');
    const forged = path.join(forgedDir, 'audit.log');
    await run(forged, 'x'); // a fresh, perfectly signed history in place of the real one
    const s = await integrity(forged);
    expect(s.exitCode).to.equal(0);
    const w = await integrity(forged, '--witness', `file:${witnessFile}`);
    expect(classes(w)).to.deep.equal(['witness-mismatch']);
    expect(w.findings.map((f) => f.stream).sort()).to.deep.equal([...runs].sort());
    expect(w.exitCode).to.equal(1);
  });

  it('reorder two lines → reordered (exit 1)', async () => {
    const s = await integrity(tampered((l) => (([l[1], l[2]] = [l[2]!, l[1]!]), l)));
    expect(classes(s)).to.deep.equal(['reordered']);
    expect(s.exitCode).to.equal(1);
  });

  it('replay an earlier line → inserted (exit 1)', async () => {
    const s = await integrity(tampered((l) => (l.splice(9, 0, l[1]!), l)));
    expect(classes(s)).to.deep.equal(['inserted']);
    expect(s.exitCode).to.equal(1);
  });

  it('a forged witness entry (no key) is itself a finding (exit 1)', async () => {
    const fake = path.join(dir, 'other-volume', 'fake-seals.log');
    const seal = JSON.parse(linesOf(witnessFile)[0]!) as { rec: Parameters<typeof forgeLine>[0] };
    writeFileSync(fake, forgeLine(seal.rec) + '\n');
    const s = await integrity(journal, '--witness', `file:${fake}`);
    expect(classes(s)).to.deep.equal(['witness-mismatch']);
    expect(s.findings[0]!.detail).to.contain('does not verify');
  });

  it('a witness that cannot be read is a usage/I-O error (exit 3)', async () => {
    const r = await cli(
      ['--file', journal, 'integrity', '--witness', `file:${path.join(dir, 'nope.log')}`],
      FIXTURE_ENV,
    );
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('cannot read witness file');
    const bad = await cli(['--file', journal, 'integrity', '--witness', 'ftp://127.0.0.1/x'], FIXTURE_ENV);
    expect(bad.code).to.equal(3);
  });

  it('retention: a run removed by retention is explained by its signed retention record (exit 0); deleted by hand it is missing-stream', async () => {
    const file = path.join(dir, 'retention', 'audit.log');
    await run(file, 'r1');
    const first = linesOf(file);
    // make the first run's file an expired segment, as a rotation 40 days ago would have left it
    const layout = new JournalLayout(file);
    const expired = path.join(layout.dir, layout.segmentName(new Date(Date.now() - 40 * 86_400_000), 0));
    renameSync(file, expired);
    const audit = createAuditLogger({
      auditFile: file,
      signingKey: FIXTURE_KEY,
      signingKeyId: 'k1',
      flushIntervalMs: 20,
      retentionDays: 30,
      env: {},
    });
    audit.logLeadIngested('LEAD-r2-0', 'web_form', {}, 'sales');
    // opening compresses the plain segment, then the retention sweep writes its record and deletes it
    await waitFor(() => !existsSync(expired) && !existsSync(expired + '.gz'));
    await audit.shutdown();
    const lines = linesOf(file);
    expect(lines.some((l) => eventOf(l) === 'audit.retention')).to.equal(true, 'retention record written');
    const s = await integrity(file);
    expect(s.findings).to.deep.equal([]);
    expect(s.exitCode).to.equal(0);
    expect(s.streams[0]!.previous).to.include({ stream: streamOf(first[0]!), found: false, explained: 'retention' });
    // the same journal without its retention record: the removal is no longer accounted for
    const bare = tampered(() => lines.filter((l) => eventOf(l) !== 'audit.retention'));
    expect(classes(await integrity(bare))).to.include('missing-stream');
  });

  it('a crashed run followed by a restart is recovered, not tampering (exit 0)', async () => {
    const file = path.join(dir, 'crash', 'audit.log');
    mkdirSync(path.dirname(file), { recursive: true });
    // the first run's lines without its last record and shutdown seal, as a kill -9 leaves them
    writeFileSync(
      file,
      runLines(original, 0)
        .slice(0, -1)
        .map((k) => original[k] + '\n')
        .join(''),
    );
    await run(file, 'restart');
    const s = await integrity(file);
    expect(s.exitCode).to.equal(0);
    expect(s.streams.map((x) => x.status)).to.deep.equal(['recovered', 'clean']);
  });
});
