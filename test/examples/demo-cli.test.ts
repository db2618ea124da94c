import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { JournalQuery } from '../../src/query/journal/journal-query.js';
import { runDemo } from '../../examples/demo-runner.js';
import { parseDemoArgs } from '../../examples/demo-args.js';
import { RecordingAudit } from './recording-audit.js';
import { cli } from '../cli/fixture.js';

const run = promisify(execFile);
const DIST = resolve(import.meta.dirname, '../..');
const DEMO = join(DIST, 'examples/demo.js');
const CLI = join(DIST, 'src/cli/main.js');

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const k of [
    'AUDIT_SIGNING_KEY',
    'AUDIT_KEY_FILE',
    'AUDIT_VERIFY_KEYS',
    'AUDIT_PSEUDONYM_KEY',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
  ]) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

async function sequenceIn(journal: string): Promise<{ type: string; leadId?: string }[]> {
  const events = await new JournalQuery(journal).queryEvents();
  return events
    .filter((e) => e.type !== 'performance')
    .map((e) => ({ type: e.type, ...(e.leadId !== undefined ? { leadId: e.leadId } : {}) }));
}

describe('demo command (hand-instrumented, real AuditLogger and journal)', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  function tempDir(): string {
    const d = mkdtempSync(join(tmpdir(), 'audit-demo-'));
    dirs.push(d);
    return d;
  }

  it('writes a signed journal that audit-cli verifies clean, with a generated demo key, and prints next steps', async () => {
    const cwd = tempDir();
    const { stdout } = await run(process.execPath, [DEMO, '--leads', '40', '--seed', '9', '--latency', '0-0'], {
      cwd,
      env: cleanEnv(),
      timeout: 60_000,
    });
    expect(stdout).to.match(/Signing key: DEMO key generated in logs\/\.demo-key/);
    expect(stdout)
      .to.include('npx audit-cli stats')
      .and.include('npx audit-cli integrity')
      .and.include('npx audit-cli report --daily');
    expect(stdout).to.include('export AUDIT_KEY_FILE=logs/.demo-key');
    expect(stdout).to.match(/internal audit failures: 0/);
    const journal = join(cwd, 'logs/audit.log');
    const check = await run(process.execPath, [CLI, '--file', journal, 'integrity'], {
      env: cleanEnv({ AUDIT_KEY_FILE: join(cwd, 'logs/.demo-key') }),
      timeout: 60_000,
    });
    expect(check.stdout).to.include('CLEAN');

    // the journal holds exactly the helper-call sequence of the same seed, and no raw e-mail address
    const expected = new RecordingAudit();
    await runDemo({ audit: expected, leads: 40, seed: 9 });
    expect(await sequenceIn(journal)).to.deep.equal(
      expected.events.map(({ type, leadId }) => ({ type, ...(leadId !== undefined ? { leadId } : {}) })),
    );
    const all = await new JournalQuery(journal).queryEvents();
    expect(JSON.stringify(all)).to.not.match(/[a-z]+\.[a-z]+@[a-z-]+\.[a-z.]+/);

    // every lead id the CLI's help suggests (`--lead …`) is one the demo writes
    const suggested = new Set<string>();
    for (const argv of [['--help'], ['query', '--help'], ['export', '--help']]) {
      for (const m of (await cli(argv)).stdout.matchAll(/\$ audit-cli .*--lead (\S+)/g)) suggested.add(m[1]!);
    }
    expect(suggested.size).to.be.greaterThan(0);
    for (const id of suggested) {
      expect(await new JournalQuery(journal).getLeadHistory(id), `help example --lead ${id}`).to.not.deep.equal([]);
    }

    // a second run reuses the key and appends a second stream that still verifies
    const again = await run(process.execPath, [DEMO, '--leads', '5', '--latency', '0-0'], {
      cwd,
      env: cleanEnv(),
      timeout: 60_000,
    });
    expect(again.stdout).to.match(/DEMO key read from logs\/\.demo-key/);
    const check2 = await run(process.execPath, [CLI, '--file', journal, 'integrity'], {
      env: cleanEnv({ AUDIT_KEY_FILE: join(cwd, 'logs/.demo-key') }),
      timeout: 60_000,
    });
    expect(check2.stdout).to.include('CLEAN');
  });

  it("README's after-the-demo commands run as written (keys exported, hash finds a pseudonym)", async () => {
    const readme = readFileSync(join(DIST, '..', 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Try the demo'),
      readme.indexOf('\n## ', readme.indexOf('## Try the demo') + 5),
    );
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const after = blocks.find((b) => b.includes('npx audit-cli integrity'));
    expect(after, 'README shows the commands to run after the demo').to.not.equal(undefined);
    expect(after)
      .to.contain('AUDIT_KEY_FILE')
      .and.to.contain('AUDIT_PSEUDONYM_KEY')
      .and.to.contain('npx audit-cli hash');
    const cwd = tempDir();
    await run(process.execPath, [DEMO, '--leads', '20', '--latency', '0-0'], { cwd, env: cleanEnv(), timeout: 60_000 });
    // every line as written, with this build's CLI in place of `npx audit-cli`; any failing line fails the script
    const script = 'set -euo pipefail\n' + after!.replaceAll('npx audit-cli', `"${process.execPath}" "${CLI}"`);
    const r = await run('bash', ['-c', script], { cwd, env: cleanEnv(), timeout: 120_000 });
    expect(r.stdout)
      .to.contain('CLEAN')
      .and.to.match(/^pii:email:[0-9a-f]{16}$/m); // integrity verdict and the pseudonym
    expect(existsSync(join(cwd, 'reports', 'daily_audit_report.html'))).to.equal(true);
  });

  it('uses AUDIT_SIGNING_KEY when set, and writes no demo key', async () => {
    const cwd = tempDir();
    const key = Buffer.alloc(32, 7).toString('base64');
    const { stdout } = await run(
      process.execPath,
      [DEMO, '--leads', '3', '--journal', 'out/j.log', '--latency', '0-0'],
      {
        cwd,
        env: cleanEnv({ AUDIT_SIGNING_KEY: key }),
        timeout: 60_000,
      },
    );
    expect(stdout).to.include('Signing key: AUDIT_SIGNING_KEY from the environment');
    expect(stdout).to.include('npx audit-cli --file out/j.log integrity');
    expect(existsSync(join(cwd, 'out/.demo-key'))).to.equal(false);
    expect(existsSync(join(cwd, 'out/j.log'))).to.equal(true);
  });

  it('rejects bad arguments with a usage message', async () => {
    expect(() => parseDemoArgs(['--leads', 'many'])).to.throw(/--leads/);
    expect(() => parseDemoArgs(['--latency', '5-1'])).to.throw(/--latency/);
    expect(parseDemoArgs([])).to.deep.include({ leads: 200, seed: '42', journal: 'logs/audit.log' });
    const cwd = tempDir();
    const err = await run(process.execPath, [DEMO, '--bogus'], { cwd, env: cleanEnv(), timeout: 30_000 }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).to.include({ code: 2 });
    expect((err as { stderr: string }).stderr).to.match(/bogus/);
  });

  it('--help prints the usage on stdout and exits 0 without starting', async () => {
    const cwd = tempDir();
    const { stdout } = await run(process.execPath, [DEMO, '--help'], { cwd, env: cleanEnv(), timeout: 30_000 });
    expect(stdout).to.match(/^usage: demo /);
    expect(existsSync(join(cwd, 'logs'))).to.equal(false);
  });

  it('rejects an --otlp or --webhook value that is not an http(s) URL before starting (exit 2, no key generated)', async () => {
    expect(() => parseDemoArgs(['--otlp', 'localhost 4318'])).to.throw(/--otlp must be an http\(s\) URL/);
    expect(() => parseDemoArgs(['--webhook', 'ftp://example.com/in'])).to.throw(/--webhook must be an http\(s\) URL/);
    expect(parseDemoArgs(['--otlp', 'http://127.0.0.1:4318', '--webhook', 'https://example.com/in'])).to.deep.include({
      otlp: 'http://127.0.0.1:4318',
      webhook: 'https://example.com/in',
    });
    const cwd = tempDir();
    const err = await run(process.execPath, [DEMO, '--webhook', 'ftp://example.com/in'], {
      cwd,
      env: cleanEnv(),
      timeout: 30_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(err).to.include({ code: 2 });
    expect((err as { stderr: string }).stderr).to.match(/--webhook must be an http\(s\) URL/);
    expect(existsSync(join(cwd, 'logs/.demo-key'))).to.equal(false);
  });
});
