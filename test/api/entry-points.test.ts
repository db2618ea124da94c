import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
type Target = { readonly types: string; readonly import: string };
const PACKAGE = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  name: string;
  exports: Record<string, string | Target>;
};

/** Resolve hook that prints every module URL a fresh Node process loads (one line each, on stderr). */
const HOOK_BODY =
  'export async function resolve(s, c, n) { const r = await n(s, c); process.stderr.write("LOADED " + r.url + "\\n"); return r; }';
const HOOK = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(HOOK_BODY))});`,
)}`;

/** Imports `specifier` in a fresh `node` (by package name, through package.json "exports"): the modules it loaded and its export names. */
function load(specifier: string): { modules: string[]; names: string[] } {
  const script = `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`;
  const run = spawnSync(process.execPath, ['--import', HOOK, '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).to.equal(0);
  const modules = run.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length));
  return { modules, names: JSON.parse(run.stdout.trim().split('\n').pop() as string) as string[] };
}

const packageOf = (url: string): string | undefined => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
const sdkAreaOf = (url: string): string | undefined => /\/dist\/src\/([^/]+)\//.exec(url)?.[1];

describe('public entry points', () => {
  it('importing the root for createAuditLogger loads only the logging path', () => {
    const { modules, names } = load(PACKAGE.name);
    expect(names).to.include.members([
      'createAuditLogger',
      'AuditLogger',
      'startAuditFromEnv',
      'instrument',
      'verifyWebhookSignature',
    ]);
    const packages = new Set(modules.map(packageOf).filter((p) => p !== undefined));
    // the loader hook works: the OTel SDK it does need shows up
    expect([...packages]).to.include('@opentelemetry/sdk-logs');
    for (const heavy of ['commander', 'cli-table3', 'cli-progress', 'nodemailer'])
      expect([...packages], heavy).to.not.include(heavy);
    const areas = new Set(modules.map(sdkAreaOf).filter((a) => a !== undefined));
    for (const area of ['cli', 'reports', 'verify']) expect([...areas], area).to.not.include(area);
    expect(modules.filter((m) => /\/dist\/src\/query\/(loki|prometheus)\//.test(m))).to.deep.equal([]);
  });

  it('the root exports no internals', () => {
    const { names } = load(PACKAGE.name);
    for (const internal of [
      'luhnValid',
      'maskPii',
      'quantileSorted',
      'LOCK_SUFFIX',
      'buildProgram',
      'encodeJournalLine',
      'journalLineOf',
      'loadVerificationKeys',
      'SinkFanout',
      'recordContentOf',
      'runCli',
      'JournalQuery',
      'generateReport',
    ]) {
      expect(names, internal).to.not.include(internal);
    }
  });

  const SUBPATHS: Record<string, readonly string[]> = {
    './query': [
      'JournalQuery',
      'readJournal',
      'listJournal',
      'JournalNotFoundError',
      'LokiQuerySource',
      'PrometheusQuerySource',
    ],
    './verify': ['verifyRecords', 'ChainVerifier', 'loadVerificationKeys', 'renderSummary', 'exitCodeOf'],
    './reports': ['generateReport', 'reportFileName', 'buildReportData'],
    './cli': ['runCli', 'BufferOutput', 'CliError', 'EXIT'],
    './register': [],
  };

  for (const [subpath, expected] of Object.entries(SUBPATHS)) {
    it(`"${subpath}" is an export of package.json with its types, and gives ${expected.join(', ') || 'zero-code instrumentation'}`, () => {
      const target = PACKAGE.exports[subpath] as Target | undefined;
      expect(target, subpath).to.be.an('object');
      expect(existsSync(`${ROOT}${target!.import}`), target!.import).to.equal(true);
      expect(existsSync(`${ROOT}${target!.types}`), target!.types).to.equal(true);
      if (subpath === './register') return;
      expect(load(`${PACKAGE.name}/${subpath.slice(2)}`).names).to.include.members([...expected]);
    });
  }

  it('every entry point lists its exports by name (no export *)', () => {
    for (const target of Object.values(PACKAGE.exports)) {
      if (typeof target === 'string') continue;
      const source = `${ROOT}${target.import.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')}`;
      expect(readFileSync(source, 'utf8'), source).to.not.match(/export \*|export type \*/);
    }
  });

  it('the entry points are the only export lists: src/ has no other index.ts', () => {
    const lists = readdirSync(`${ROOT}src`, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.split(/[\\/]/).pop() === 'index.ts')
      .sort();
    expect(lists).to.deep.equal(['index.ts']);
  });
});
