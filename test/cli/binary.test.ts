/**
 * audit-cli as a real binary (`node dist/src/cli/main.js`, the package `bin`): exit codes,
 * stdout/stderr separation and --json output on a real journal.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI_BIN, runBin } from './spawn.js';
import { tempDir, writeFixtureJournal, type FixtureExpectations } from './fixture.js';

describe('audit-cli binary (spawned)', function () {
  this.timeout(30000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  let expected: FixtureExpectations;

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    file = path.join(dir, 'logs', 'audit.log');
    expected = await writeFixtureJournal(file, { leads: 8, maxFileSizeMb: 0.004 });
  });
  after(() => cleanup());

  it('starts with a node shebang', () => {
    expect(readFileSync(CLI_BIN, 'utf8').split('\n')[0]).to.equal('#!/usr/bin/env node');
  });

  it('stats --json: exit 0, parseable JSON on stdout, nothing on stderr', async () => {
    const r = await runBin(['--file', file, 'stats', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.equal('');
    expect(JSON.parse(r.stdout)).to.include({
      totalEvents: expected.totalEvents,
      errors: expected.errors,
      leadsProcessed: expected.leads,
    });
  });

  it('reads the default journal logs/audit.log relative to the working directory', async () => {
    const r = await runBin(['query', '--type', 'error', '--json'], {}, dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).count).to.equal(expected.errors);
  });

  it('a missing journal: exit 3, the reason on stderr, empty stdout', async () => {
    const r = await runBin(['stats'], { AUDIT_FILE: path.join(dir, 'missing', 'audit.log') });
    expect(r.code).to.equal(3);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.contain('no audit journal at').and.to.contain('missing');
  });

  it('a bad --last: exit 3 with the message; --version and --help: exit 0', async () => {
    const bad = await runBin(['--file', file, 'query', '--last', 'soon']);
    expect(bad.code).to.equal(3);
    expect(bad.stdout).to.equal('');
    expect(bad.stderr).to.contain('invalid duration "soon"');
    const version = await runBin(['--version']);
    expect(version.code).to.equal(0);
    expect(version.stdout.trim()).to.match(/^\d+\.\d+\.\d+/);
    const help = await runBin(['query', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('--last <duration>');
  });

  it('prints no progress-bar frames when output is not a terminal', async () => {
    const r = await runBin(['--file', file, 'export', '--format', 'ndjson']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trimEnd().split('\n')).to.have.length(expected.totalEvents);
    expect(r.stderr).to.equal(`Exported ${expected.totalEvents} event(s) as ndjson\n`);
  });

  it('stops quietly when the reader of its output goes away (| head)', async () => {
    // far more output than a pipe buffer holds, so writes fail with EPIPE after the reader left
    const big = path.join(dir, 'big', 'audit.log');
    await writeFixtureJournal(big, { leads: 300, maxFileSizeMb: 50 });
    const child = spawn(process.execPath, [CLI_BIN, '--file', big, 'export', '--format', 'ndjson'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error('audit-cli did not exit within 15 s'));
      }, 15000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(stderr).to.not.contain('EPIPE');
    expect(code).to.equal(0);
  });
});
