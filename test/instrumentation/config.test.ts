import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  InstrumentConfigError,
  loadInstrumentConfig,
  missingModuleFiles,
  parseInstrumentConfig,
} from '../../src/instrumentation/config.js';

describe('zero-code instrumentation config', () => {
  it('resolves relative module paths against the config file, keeps package names and absolute paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-instr-config-'));
    try {
      const file = join(dir, 'audit.json');
      writeFileSync(
        file,
        JSON.stringify({
          workflow: 'sales',
          modules: [
            { module: './lib/steps.js', functions: { f: { event: 'x', leadId: ['result.id', 'args.0.leadId'] } } },
            { module: 'my-orch' },
            { module: '/abs/m.js' },
          ],
        }),
      );
      const config = loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: file }, '/elsewhere');
      expect(config?.workflow).to.equal('sales');
      expect(config?.modules.map((m) => m.module)).to.deep.equal([join(dir, 'lib/steps.js'), 'my-orch', '/abs/m.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts inline JSON and is undefined when unset', () => {
    expect(loadInstrumentConfig({}, '/')).to.equal(undefined);
    expect(
      loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: '{"modules":[{"module":"./a.js"}]}' }, '/srv')?.modules[0]
        ?.module,
    ).to.equal('/srv/a.js');
  });

  it('rejects malformed configs at start-up with the place of the mistake', () => {
    expect(() => parseInstrumentConfig({}, '/')).to.throw(InstrumentConfigError, /modules/);
    expect(() => parseInstrumentConfig({ modules: [{}] }, '/')).to.throw(InstrumentConfigError, /modules\[0\].*module/);
    expect(() =>
      parseInstrumentConfig({ modules: [{ module: 'm', functions: { f: { leadId: 'argz.0' } } }] }, '/'),
    ).to.throw(InstrumentConfigError, /modules\[0\]\.functions\.f/);
    expect(() =>
      parseInstrumentConfig({ modules: [{ module: 'm', classes: { C: { m: { kind: 'loop' } } } }] }, '/'),
    ).to.throw(InstrumentConfigError, /kind/);
    expect(() => loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: '/nonexistent/x.json' }, '/')).to.throw(
      InstrumentConfigError,
      /cannot read/,
    );
  });

  it('invalid JSON is an InstrumentConfigError naming the file (or inline) and the position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-instr-config-'));
    try {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{"modules": [ { "module": "x", }');
      expect(() => loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: file }, '/')).to.throw(
        InstrumentConfigError,
        new RegExp(`${file} is not valid JSON: .*position`),
      );
      expect(() => loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: '{"modules": [' }, '/')).to.throw(
        InstrumentConfigError,
        /inline AUDIT_INSTRUMENT_CONFIG is not valid JSON/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects misspelt keys and wrongly typed values instead of ignoring them; $-keys are comments', () => {
    const fn = (spec: unknown): unknown => ({ modules: [{ module: 'm', functions: { f: spec } }] });
    expect(() => parseInstrumentConfig(fn({ event: 'x', leadid: 'args.0.id' }), '/')).to.throw(
      InstrumentConfigError,
      /modules\[0\]\.functions\.f: unknown key "leadid"/,
    );
    expect(() => parseInstrumentConfig(fn({ event: 5 }), '/')).to.throw(
      InstrumentConfigError,
      /functions\.f\.event: expected a non-empty string/,
    );
    expect(() => parseInstrumentConfig(fn({ event: 'x', fields: 'result' }), '/')).to.throw(
      InstrumentConfigError,
      /functions\.f\.fields: expected an object/,
    );
    expect(() => parseInstrumentConfig(fn({ operation: ['a'] }), '/')).to.throw(InstrumentConfigError, /operation/);
    expect(() => parseInstrumentConfig({ modules: [{ module: 'm', function: {} }] }, '/')).to.throw(
      InstrumentConfigError,
      /modules\[0\]: unknown key "function"/,
    );
    expect(() => parseInstrumentConfig({ workfow: 'w', modules: [] }, '/')).to.throw(
      InstrumentConfigError,
      /unknown key "workfow"/,
    );
    expect(() => parseInstrumentConfig({ modules: [{ module: ' ' }] }, '/')).to.throw(InstrumentConfigError, /empty/);
    const ok = parseInstrumentConfig(
      { $comment: 'c', modules: [{ module: 'm', $comment: 'c', functions: { f: { $comment: 'c', event: 'x' } } }] },
      '/',
    );
    expect(ok.modules[0]?.functions).to.have.property('f');
  });

  it('missingModuleFiles lists configured module files that do not exist (package names are not checked)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-instr-config-'));
    try {
      writeFileSync(join(dir, 'there.js'), '');
      const config = parseInstrumentConfig(
        { modules: [{ module: './there.js' }, { module: './gone.js' }, { module: 'some-package' }] },
        dir,
      );
      expect(missingModuleFiles(config)).to.deep.equal([join(dir, 'gone.js')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
