import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { InstrumentConfigError, loadInstrumentConfig, parseInstrumentConfig } from '../../src/instrumentation/index.js';

describe('zero-code instrumentation config', () => {
  it('resolves relative module paths against the config file, keeps package names and absolute paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-instr-config-'));
    try {
      const file = join(dir, 'audit.json');
      writeFileSync(file, JSON.stringify({ workflow: 'sales', modules: [{ module: './lib/steps.js', functions: { f: { event: 'x', leadId: ['result.id', 'args.0.leadId'] } } }, { module: 'my-orch' }, { module: '/abs/m.js' }] }));
      const config = loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: file }, '/elsewhere');
      expect(config?.workflow).to.equal('sales');
      expect(config?.modules.map((m) => m.module)).to.deep.equal([join(dir, 'lib/steps.js'), 'my-orch', '/abs/m.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts inline JSON and is undefined when unset', () => {
    expect(loadInstrumentConfig({}, '/')).to.equal(undefined);
    expect(loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: '{"modules":[{"module":"./a.js"}]}' }, '/srv')?.modules[0]?.module).to.equal('/srv/a.js');
  });

  it('rejects malformed configs at start-up with the place of the mistake', () => {
    expect(() => parseInstrumentConfig({}, '/')).to.throw(InstrumentConfigError, /modules/);
    expect(() => parseInstrumentConfig({ modules: [{}] }, '/')).to.throw(InstrumentConfigError, /modules\[0\].*module/);
    expect(() => parseInstrumentConfig({ modules: [{ module: 'm', functions: { f: { leadId: 'argz.0' } } }] }, '/')).to.throw(InstrumentConfigError, /modules\[0\]\.functions\.f/);
    expect(() => parseInstrumentConfig({ modules: [{ module: 'm', classes: { C: { m: { kind: 'loop' } } } }] }, '/')).to.throw(InstrumentConfigError, /kind/);
    expect(() => loadInstrumentConfig({ AUDIT_INSTRUMENT_CONFIG: '/nonexistent/x.json' }, '/')).to.throw(InstrumentConfigError, /cannot read/);
  });
});
