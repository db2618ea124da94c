import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const DIST = resolve(import.meta.dirname, '../..');
const REPO = resolve(DIST, '..');
const CLI = join(DIST, 'src/cli/main.js');

/** The ```js block of docs/journal.md that starts with `// journal-example.mjs`. */
function journalExample(): string {
  const doc = readFileSync(join(REPO, 'docs/journal.md'), 'utf8');
  const block = [...doc.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.startsWith('// journal-example.mjs'));
  expect(block, 'docs/journal.md has a ```js block starting with // journal-example.mjs').to.not.equal(undefined);
  return block!;
}

/** PATH and HOME only: no key, OTLP endpoint or journal location leaks in from the test's environment. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extra };
}

describe('docs/journal.md example (public API only, run as written)', () => {
  let scriptDir: string;
  let cwd: string;

  before(() => {
    // inside the package, so that `orchestrator-audit-otel` resolves to this build as it does once installed
    scriptDir = mkdtempSync(join(DIST, 'docs-example-'));
    cwd = mkdtempSync(join(tmpdir(), 'journal-example-'));
  });

  after(() => {
    rmSync(scriptDir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });

  it('imports only public entry points, writes a journal, queries it, and two runs give two sealed linked streams', async () => {
    const code = journalExample();
    const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).to.deep.equal(['orchestrator-audit-otel', 'orchestrator-audit-otel/query']);
    const script = join(scriptDir, 'journal-example.mjs');
    writeFileSync(script, code);

    const first = await run(process.execPath, [script], { cwd, env: bareEnv() });
    const firstStream = /stream ([0-9a-f]{16}) seq 1/.exec(first.stdout)?.[1];
    expect(firstStream, first.stdout).to.be.a('string');
    expect(first.stdout).to.contain("[ 'lead_ingested LEAD-001 stream");
    expect(first.stdout).to.contain('1 event(s) { lead_ingested: 1 }');

    const second = await run(process.execPath, [script], { cwd, env: bareEnv() });
    const streams = [...second.stdout.matchAll(/'lead_ingested LEAD-001 stream ([0-9a-f]{16}) seq 1'/g)].map(
      (m) => m[1],
    );
    expect(streams).to.have.length(2);
    expect(streams[0]).to.equal(firstStream);
    expect(streams[1]).to.not.equal(firstStream);
    expect(second.stdout).to.contain('2 event(s) { lead_ingested: 2 }');

    // what the example wrote is a clean, sealed trail: the second stream continues the first
    const check = await run(process.execPath, [CLI, '--file', join(cwd, 'logs/audit.log'), 'integrity'], {
      cwd,
      env: bareEnv({ AUDIT_SIGNING_KEY: 'hex:' + '42'.repeat(32) }),
    });
    expect(check.stdout).to.match(/^CLEAN: /m);
    expect(check.stdout).to.match(new RegExp(`│ yes +│ ${firstStream}#2 +│`));
  });
});
