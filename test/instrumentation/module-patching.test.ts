import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { JournalQuery } from '../../src/query/journal/journal-query.js';

const run = promisify(execFile);
const REGISTER = resolve(import.meta.dirname, '../../src/instrumentation/register.js');

/** An orchestrator module body: a function, an async class method, and a step that throws. */
const BODY = `
function qualifyLead(lead) { return { qualified: lead.score >= 50, reason: 'score ' + lead.score }; }
function helper(x) { return x; }
class Crm {
  constructor(prefix) { this.prefix = prefix; }
  async createContact(lead) { await new Promise((r) => setTimeout(r, 1)); if (lead.fail) { const e = new TypeError('crm down'); e.marker = lead.id; throw e; } return { crmId: this.prefix + lead.id, crmType: 'hubspot' }; }
}`;
const ESM_MODULE = `${BODY}\nexport { qualifyLead, helper, Crm };\n`;
const CJS_MODULE = `${BODY}\nmodule.exports = { qualifyLead, helper, Crm };\n`;

/** The app: imports by name, calls, and prints what it saw (errors by identity marker). */
function app(load: string, mod: string): string {
  return `${load}{
const out = [];
out.push(${mod}.qualifyLead({ id: 'L-1', score: 70 }).qualified, ${mod}.helper(5));
const crm = new ${mod}.Crm('C-');
out.push((await crm.createContact({ id: 'L-2' })).crmId);
try { await crm.createContact({ id: 'L-3', fail: true }); } catch (e) { out.push(e instanceof TypeError && e.marker === 'L-3' ? 'same-error' : 'other'); }
console.log(JSON.stringify(out));
}`;
}

const SPEC = {
  functions: {
    qualifyLead: {
      event: 'lead_qualified',
      leadId: 'args.0.id',
      fields: { qualified: 'result.qualified', reason: 'result.reason' },
      operation: 'lead.qualify',
    },
  },
  classes: {
    Crm: {
      createContact: {
        event: 'crm_create',
        leadId: 'args.0.id',
        fields: { crmId: 'result.crmId', crmType: 'result.crmType' },
      },
    },
  },
};

describe('zero-code module patching (spawned node --import register)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-module-patch-'));
    writeFileSync(join(dir, 'orch.mjs'), ESM_MODULE);
    writeFileSync(join(dir, 'orch.cjs'), CJS_MODULE);
    for (const [pkg, type, file, body] of [
      ['lead-orch-esm', 'module', 'index.js', ESM_MODULE],
      ['lead-orch-cjs', 'commonjs', 'index.js', CJS_MODULE],
    ] as const) {
      mkdirSync(join(dir, 'node_modules', pkg), { recursive: true });
      writeFileSync(
        join(dir, 'node_modules', pkg, 'package.json'),
        JSON.stringify({ name: pkg, version: '1.2.3', type, main: file }),
      );
      writeFileSync(join(dir, 'node_modules', pkg, file), body);
    }
    writeFileSync(
      join(dir, 'app-esm.mjs'),
      `import { qualifyLead, helper, Crm } from './orch.mjs';\nimport * as byName from 'lead-orch-esm';\nconst byPath = { qualifyLead, helper, Crm }; // named imports: live bindings\n${app('', 'byPath')}\n${app('', 'byName')}`,
    );
    writeFileSync(
      join(dir, 'app-cjs.mjs'),
      `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst byPath = require('./orch.cjs');\nconst byName = require('lead-orch-cjs');\n${app('', 'byPath')}\n${app('', 'byName')}`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const flavour of ['esm', 'cjs'] as const) {
    it(`${flavour.toUpperCase()}: a module given by absolute path and a package given by name are patched when loaded`, async () => {
      const journal = join(dir, `${flavour}.log`);
      const config = {
        workflow: 'wf-' + flavour,
        modules: [
          { module: `./orch.${flavour === 'esm' ? 'mjs' : 'cjs'}`, ...SPEC },
          { module: `lead-orch-${flavour}`, ...SPEC },
        ],
      };
      writeFileSync(join(dir, `${flavour}.json`), JSON.stringify(config));
      const key = randomBytes(32).toString('hex');
      const { stdout } = await run(process.execPath, ['--import', REGISTER, join(dir, `app-${flavour}.mjs`)], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          AUDIT_SIGNING_KEY: key,
          AUDIT_FILE: journal,
          AUDIT_INSTRUMENT_CONFIG: join(dir, `${flavour}.json`),
        },
        timeout: 30_000,
      });
      const lines = stdout.trim().split('\n');
      expect(lines).to.deep.equal([
        JSON.stringify([true, 5, 'C-L-2', 'same-error']),
        JSON.stringify([true, 5, 'C-L-2', 'same-error']),
      ]);
      const events = (await new JournalQuery(journal).queryEvents()).filter(
        (e) => e.event !== 'audit.seal' && e.type !== 'seal',
      );
      const one = [
        ['performance', undefined],
        ['lead_qualified', 'L-1'],
        ['crm_create', 'L-2'],
        ['error', 'L-3'],
      ];
      expect(events.map((e) => [e.type, e.leadId])).to.deep.equal([...one, ...one]);
      expect(events.every((e) => e.workflow === 'wf-' + flavour)).to.equal(true);
      const error = events.find((e) => e.type === 'error')!;
      expect(error.attrs).to.include({
        'orchestrator.error.type': 'TypeError',
        'orchestrator.error.message': 'crm down',
      });
      expect(events.every((e) => e.span !== undefined)).to.equal(true);
    });
  }

  it('SIGTERM: the register hook shuts the logger down (shutdown seal) before the process ends', async () => {
    const journal = join(dir, 'sigterm.log');
    writeFileSync(
      join(dir, 'app-long.mjs'),
      `import { qualifyLead } from './orch.mjs';\nqualifyLead({ id: 'L-7', score: 1 });\nconsole.log('ready');\nsetInterval(() => {}, 1000);\n`,
    );
    writeFileSync(join(dir, 'sigterm.json'), JSON.stringify({ modules: [{ module: './orch.mjs', ...SPEC }] }));
    const child = spawn(process.execPath, ['--import', REGISTER, join(dir, 'app-long.mjs')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        AUDIT_SIGNING_KEY: randomBytes(32).toString('hex'),
        AUDIT_FILE: journal,
        AUDIT_INSTRUMENT_CONFIG: join(dir, 'sigterm.json'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.once('exit', (_code, signal) => res(signal)));
    try {
      await new Promise<void>((res, rej) => {
        const timer = setTimeout(() => rej(new Error('app did not start within 15 s')), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) {
            clearTimeout(timer);
            res();
          }
        });
      });
      child.kill('SIGTERM');
      expect(await exited).to.equal('SIGTERM');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const events = await new JournalQuery(journal).queryEvents();
    expect(events.map((e) => e.type)).to.deep.equal(['performance', 'lead_qualified']);
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    const last = (JSON.parse(lines[lines.length - 1]!) as { rec: { event: string; attrs: Record<string, unknown> } })
      .rec;
    expect(lines).to.have.length(3);
    expect(last.event).to.equal('audit.seal');
    expect(last.attrs['audit.seal.reason']).to.equal('shutdown');
  });
});
