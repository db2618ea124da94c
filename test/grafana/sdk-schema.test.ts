import { expect } from 'chai';
import { listRepoDir, readDashboard } from './repo-files.js';
import { conformance, sdkInterface } from './sdk-interfaces.js';

type Obj = Record<string, unknown>;

const names = listRepoDir('grafana/dashboards')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));

describe('grafana dashboards conform to the foundation SDK types (types.gen.d.ts)', () => {
  const dashboardFields = sdkInterface('dashboard', 'Dashboard');
  const panelFields = sdkInterface('dashboard', 'Panel');
  const gridFields = sdkInterface('dashboard', 'GridPos');
  const variableFields = sdkInterface('dashboard', 'VariableModel');
  const linkFields = sdkInterface('dashboard', 'DashboardLink');
  const pickerFields = sdkInterface('dashboard', 'TimePickerConfig');
  const fieldConfigFields = sdkInterface('dashboard', 'FieldConfigSource');
  const targetFields = { prometheus: sdkInterface('prometheus', 'Dataquery'), loki: sdkInterface('loki', 'dataquery') };
  const optionsOf = (type: string) => sdkInterface(type, 'Options');

  it('reads the SDK interfaces (the check is not vacuous)', () => {
    expect(dashboardFields.has('title') && dashboardFields.has('panels')).to.equal(true);
    expect(panelFields.get('type')).to.equal(true);
    expect(panelFields.has('gridPos')).to.equal(true);
    expect(conformance({ type: 'x', gridpos: {} }, panelFields, 'p')).to.deep.equal(['p: unknown key "gridpos"']);
    expect(conformance({}, panelFields, 'p')).to.deep.equal(['p: missing required key "type"']);
  });

  for (const name of names) {
    it(`${name}: every object has only SDK keys and all required ones`, () => {
      const d = readDashboard(name) as Obj & {
        panels: Obj[];
        templating: { list: Obj[] };
        links: Obj[];
        timepicker: Obj;
      };
      const problems = [
        ...conformance(d, dashboardFields, 'dashboard'),
        ...conformance(d.timepicker, pickerFields, 'timepicker'),
      ];
      d.templating.list.forEach((v, i) => problems.push(...conformance(v, variableFields, `variable ${i}`)));
      d.links.forEach((l, i) => problems.push(...conformance(l, linkFields, `link ${i}`)));
      for (const p of d.panels) {
        const where = `panel ${String(p.title)}`;
        problems.push(...conformance(p, panelFields, where));
        problems.push(...conformance(p.gridPos as Obj, gridFields, `${where} gridPos`));
        if (p.fieldConfig)
          problems.push(...conformance(p.fieldConfig as Obj, fieldConfigFields, `${where} fieldConfig`));
        if (p.options) problems.push(...conformance(p.options as Obj, optionsOf(String(p.type)), `${where} options`));
        for (const t of (p.targets ?? []) as Obj[]) {
          const kind = (t.datasource as { type: 'prometheus' | 'loki' }).type;
          problems.push(...conformance(t, targetFields[kind], `${where} target ${String(t.refId)}`));
        }
      }
      expect(problems).to.deep.equal([]);
    });
  }
});
