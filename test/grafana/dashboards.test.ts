import { expect } from 'chai';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as text from '@grafana/grafana-foundation-sdk/text';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DASHBOARD_UIDS, REPORT_PERIODS } from '../../grafana/src/dashboard-base.js';
import { variablesOf } from '../../grafana/src/template-variables.js';
import { listRepoDir, readDashboard, readYaml } from './repo-files.js';

interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: { refId?: string; expr?: string; datasource?: { uid?: string } }[];
  fieldConfig?: { overrides?: { properties: { id: string; value: unknown }[] }[] };
}

const names = listRepoDir('grafana/dashboards')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5));
/** Panel types the foundation SDK builds (the kinds this project uses). */
const SDK_PANEL_TYPES = new Set(
  [bargauge, logs, stat, table, text, timeseries].map((m) => new m.PanelBuilder().build().type),
);
/** Variables Grafana defines itself. */
const BUILTIN = new Set(['__rate_interval', '__interval', '__range', '__auto']);

function provisionedDatasources(): Map<string, string> {
  const doc = readYaml('grafana/provisioning/datasources/datasources.yaml') as {
    datasources: { uid: string; type: string }[];
  };
  return new Map(doc.datasources.map((d) => [d.uid, d.type]));
}

describe('grafana dashboards: structure against the foundation SDK model and the provisioning', () => {
  const datasources = provisionedDatasources();

  it('has the six dashboards with unique uids matching their file names', () => {
    expect(names.sort()).to.deep.equal(Object.values(DASHBOARD_UIDS).sort());
    for (const n of names) expect(readDashboard(n).uid).to.equal(n);
  });

  for (const name of names) {
    describe(name, () => {
      const d = readDashboard(name) as {
        title?: string;
        schemaVersion?: number;
        panels: Panel[];
        templating: { list?: { name: string; datasource?: { uid?: string } }[] };
        timepicker?: { quick_ranges?: { from: string; to: string }[] };
        links?: { url?: string; type: string }[];
        tags?: string[];
      };
      const panels = d.panels;

      it('has the required top-level fields', () => {
        expect(d.title).to.be.a('string').and.not.equal('');
        expect(d.schemaVersion).to.be.a('number');
        expect(d.tags).to.include('orchestrator-audit');
        expect(panels).to.be.an('array').that.is.not.empty;
      });

      it('has unique panel ids and SDK panel types', () => {
        const ids = panels.map((p) => p.id);
        expect(ids.every((id) => Number.isInteger(id) && id! > 0)).to.equal(true);
        expect(new Set(ids).size).to.equal(ids.length);
        for (const p of panels) expect(SDK_PANEL_TYPES.has(p.type!), `${p.title}: ${p.type}`).to.equal(true);
      });

      it('places panels on the 24-column grid without overlaps', () => {
        const cells = new Set<string>();
        for (const p of panels) {
          const g = p.gridPos!;
          expect(g, p.title).to.include.all.keys('x', 'y', 'w', 'h');
          expect(
            g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.y >= 0 && g.h > 0,
            `${p.title} ${JSON.stringify(g)}`,
          ).to.equal(true);
          for (let x = g.x; x < g.x + g.w; x++) {
            for (let y = g.y; y < g.y + g.h; y++) {
              const k = `${x},${y}`;
              expect(cells.has(k), `${p.title} overlaps at ${k}`).to.equal(false);
              cells.add(k);
            }
          }
        }
      });

      it('gives every query panel a provisioned datasource and targets with unique refIds', () => {
        for (const p of panels.filter((x) => x.type !== 'text')) {
          const uid = p.datasource?.uid ?? '';
          expect(datasources.has(uid), `${p.title}: datasource ${uid}`).to.equal(true);
          expect(p.datasource?.type).to.equal(datasources.get(uid));
          expect(p.targets, p.title).to.be.an('array').that.is.not.empty;
          const refIds = p.targets!.map((t) => t.refId);
          expect(new Set(refIds).size, p.title).to.equal(refIds.length);
          for (const t of p.targets!) {
            expect(t.expr, p.title).to.be.a('string').and.not.equal('');
            expect(t.datasource?.uid, p.title).to.equal(uid);
          }
        }
      });

      it('defines every variable its queries use', () => {
        const defined = new Set((d.templating.list ?? []).map((v) => v.name));
        for (const v of d.templating.list ?? [])
          if (v.datasource) expect(datasources.has(v.datasource.uid ?? '')).to.equal(true);
        for (const p of panels) {
          for (const t of p.targets ?? []) {
            for (const v of variablesOf(t.expr ?? ''))
              expect(defined.has(v) || BUILTIN.has(v), `${p.title}: $${v}`).to.equal(true);
          }
        }
      });

      it('offers the daily and weekly report periods as time presets and links', () => {
        const ranges = (d.timepicker?.quick_ranges ?? []).map((r) => `${r.from}..${r.to}`);
        expect(ranges).to.include.members(REPORT_PERIODS.map((r) => `${r.from}..${r.to}`));
        const urls = (d.links ?? []).filter((l) => l.type === 'link').map((l) => l.url);
        expect(urls).to.include(`/d/${name}?from=now%2Fd&to=now`);
        expect(urls).to.include(`/d/${name}?from=now-7d&to=now`);
      });

      it('links only to dashboards that exist', () => {
        const json = JSON.stringify(d);
        for (const [, uid] of json.matchAll(/\/d\/([\w-]+)/g)) expect(names, uid).to.include(uid);
      });
    });
  }

  it('links lead ids to the lead history dashboard (table data link)', () => {
    const funnel = readDashboard('audit-lead-funnel') as { panels: Panel[] };
    const links = funnel.panels.flatMap((p) =>
      (p.fieldConfig?.overrides ?? []).flatMap((o) => o.properties.filter((x) => x.id === 'links')),
    );
    expect(JSON.stringify(links)).to.contain('/d/audit-lead-history/lead-history?var-lead=${__value.raw}');
    const history = readDashboard('audit-lead-history') as { templating: { list: { name: string }[] } };
    expect(history.templating.list.map((v) => v.name)).to.include('lead');
  });
});
