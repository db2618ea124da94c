import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { JournalQuery } from '../../src/query/journal/journal-query.js';
import {
  AuditInstrumentation,
  PATCH_WARNING,
  type AuditInstrumentationConfig,
} from '../../src/instrumentation/audit-instrumentation.js';
import { INSTRUMENTATION_FAILURE } from '../../src/instrumentation/call-plan.js';
import { instrumentationDiagnostics, isInstrumented } from '../../src/instrumentation/wrap-function.js';
import { testAudit } from './fixture.js';

const run = promisify(execFile);
const REGISTER = resolve(import.meta.dirname, '../../src/instrumentation/register.js');

describe('zero-code: configuration mistakes are reported, the rest is still patched (spawned)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-patch-failures-'));
    writeFileSync(
      join(dir, 'steps.mjs'),
      'export function qualify(lead) { return { ok: true, id: lead.id }; }\nexport const notAFunction = 1;\nexport class Crm { create(lead) { return lead.id; } }\n',
    );
    writeFileSync(
      join(dir, 'app.mjs'),
      "import { qualify, Crm } from './steps.mjs';\nconsole.log(JSON.stringify([qualify({ id: 'L-1' }).ok, new Crm().create({ id: 'L-2' })]));\n",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a misspelt export, a non-function and a missing module file give warnings; the valid entries are audited', async () => {
    const journal = join(dir, 'audit.log');
    const config = {
      workflow: 'wf',
      modules: [
        {
          module: './steps.mjs',
          functions: {
            qualfy: { event: 'typo' },
            notAFunction: { event: 'nf' },
            qualify: { event: 'checked', leadId: 'args.0.id' },
          },
          classes: {
            Crm: { craete: { event: 'typo' }, create: { event: 'created', leadId: 'args.0.id' } },
            Missing: { m: { event: 'x' } },
          },
        },
        { module: './not-built-yet.mjs', functions: { f: { event: 'x' } } },
      ],
    };
    writeFileSync(join(dir, 'audit.json'), JSON.stringify(config));
    const { stdout, stderr } = await run(process.execPath, ['--import', REGISTER, join(dir, 'app.mjs')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        AUDIT_SIGNING_KEY: randomBytes(32).toString('hex'),
        AUDIT_FILE: journal,
        AUDIT_INSTRUMENT_CONFIG: join(dir, 'audit.json'),
      },
      timeout: 30_000,
    });
    expect(stdout.trim()).to.equal(JSON.stringify([true, 'L-2']));
    for (const what of [
      'module export qualfy is not a function',
      'module export notAFunction is not a function',
      'Crm.prototype.craete is not a function',
      'module export Missing is not a class',
      `module file ${join(dir, 'not-built-yet.mjs')} does not exist`,
    ]) {
      expect(stderr).to.include(what);
    }
    expect(stderr.match(/AuditInstrumentationWarning/g)?.length).to.equal(5);
    const events = (await new JournalQuery(journal).queryEvents()).filter(
      (e) => e.event !== 'audit.seal' && e.type !== 'seal',
    );
    expect(events.map((e) => [e.type, e.leadId])).to.deep.equal([
      ['checked', 'L-1'],
      ['created', 'L-2'],
    ]);
  });
});

describe('zero-code: patch failures are counted (in-process)', () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    if (w.name === PATCH_WARNING) warnings.push(w.message);
  };
  before(() => process.on('warning', onWarning));
  after(() => process.off('warning', onWarning));

  function patchWith(audit: AuditInstrumentationConfig['audit']): { exports: Record<string, unknown> } {
    const instrumentation = new AuditInstrumentation({
      enabled: false,
      ...(audit !== undefined ? { audit } : {}),
      modules: [
        {
          module: 'fake-steps',
          functions: { qualify: { event: 'checked' }, qualfy: { event: 'typo' } },
          classes: { Missing: { m: { event: 'x' } } },
        },
      ],
    });
    const exports: Record<string, unknown> = { qualify: (x: number) => x };
    const [definition] = instrumentation.getModuleDefinitions();
    definition!.patch!(exports, '1.0.0');
    return { exports };
  }

  it("counts each failure as instrumentation.patch in the logger's diagnostics and patches the rest", async () => {
    const t = testAudit();
    try {
      const { exports } = patchWith(t.audit);
      expect(isInstrumented(exports.qualify)).to.equal(true);
      expect(t.audit.diagnostics.total(INSTRUMENTATION_FAILURE.patch)).to.equal(2);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.startsWith('cannot patch fake-steps:'))).to.have.length(2);
    } finally {
      await t.close();
    }
  });

  it('without an AuditLogger, counts them in instrumentationDiagnostics', () => {
    const before = instrumentationDiagnostics.total(INSTRUMENTATION_FAILURE.patch);
    patchWith(() => {
      throw new Error('not started');
    });
    expect(instrumentationDiagnostics.total(INSTRUMENTATION_FAILURE.patch) - before).to.equal(2);
  });
});
