import { expect } from 'chai';
import { DASHBOARDS_PATH } from '../../grafana/src/datasources.js';
import { readYaml } from './repo-files.js';

/** Grafana file-provisioning shapes (docs: administration/provisioning, alerting/set-up/provision-alerting-resources/file-provisioning). */
interface RuleData {
  refId: string;
  datasourceUid: string;
  relativeTimeRange: { from: number; to: number };
  model: {
    refId: string;
    type?: string;
    expression?: string;
    expr?: string;
    conditions?: { evaluator: { type: string; params: number[] } }[];
  };
}
interface Rule {
  uid: string;
  title: string;
  condition: string;
  data: RuleData[];
  noDataState: string;
  execErrState: string;
  for: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

const DURATION = /^\d+(ms|s|m|h|d)$/;

describe('grafana provisioning files: Grafana file-provisioning structure', () => {
  const ds = readYaml('grafana/provisioning/datasources/datasources.yaml') as {
    apiVersion: number;
    datasources: {
      name: string;
      type: string;
      uid: string;
      url: string;
      access: string;
      jsonData?: { derivedFields?: { datasourceUid: string; matcherType: string; matcherRegex: string }[] };
    }[];
  };
  const dsUids = new Set(ds.datasources.map((d) => d.uid));

  it('datasources: Prometheus uid prometheus and Loki uid loki, exactly one default', () => {
    expect(ds.apiVersion).to.equal(1);
    expect(ds.datasources.map((d) => [d.uid, d.type, d.url])).to.deep.equal([
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
      ['loki', 'loki', 'http://loki:3100'],
    ]);
    for (const d of ds.datasources) expect(d.access).to.equal('proxy');
    expect(ds.datasources.filter((d) => (d as { isDefault?: boolean }).isDefault)).to.have.length(1);
  });

  it('Loki derived fields link lead ids and trace ids to a provisioned datasource', () => {
    const fields = ds.datasources.find((d) => d.uid === 'loki')!.jsonData!.derivedFields!;
    expect(fields.map((f) => f.matcherRegex)).to.deep.equal(['orchestrator_lead_id', 'trace_id']);
    for (const f of fields) {
      expect(f.matcherType).to.equal('label');
      expect(dsUids.has(f.datasourceUid)).to.equal(true);
    }
  });

  it('dashboards provider: file provider at the mounted path', () => {
    const doc = readYaml('grafana/provisioning/dashboards/dashboards.yaml') as {
      apiVersion: number;
      providers: { name: string; type: string; options: { path: string } }[];
    };
    expect(doc.apiVersion).to.equal(1);
    expect(doc.providers).to.have.length(1);
    expect(doc.providers[0]!.type).to.equal('file');
    expect(doc.providers[0]!.options.path).to.equal(DASHBOARDS_PATH);
  });

  describe('alert rules', () => {
    const doc = readYaml('grafana/provisioning/alerting/rules.yaml') as {
      apiVersion: number;
      groups: { orgId: number; name: string; folder: string; interval: string; rules: Rule[] }[];
    };
    const rules = doc.groups.flatMap((g) => g.rules);

    it('has one group with folder, name, interval and five rules with unique uids', () => {
      expect(doc.apiVersion).to.equal(1);
      expect(doc.groups).to.have.length(1);
      const g = doc.groups[0]!;
      expect(g.orgId).to.equal(1);
      expect(g.name).to.be.a('string').and.not.equal('');
      expect(g.folder).to.be.a('string').and.not.equal('');
      expect(g.interval).to.match(DURATION);
      expect(rules.map((r) => r.uid)).to.deep.equal([
        'audit-error-burst',
        'audit-p95-latency',
        'audit-workflow-silent',
        'audit-integrity-failure',
        'audit-sequence-gap',
      ]);
      for (const r of rules) expect(r.uid.length).to.be.at.most(40); // Grafana's uid limit
    });

    for (const r of (readYaml('grafana/provisioning/alerting/rules.yaml') as { groups: { rules: Rule[] }[] }).groups[0]!
      .rules) {
      it(`${r.uid}: well-formed query → reduce → threshold chain`, () => {
        expect(r.title).to.be.a('string').and.not.equal('');
        expect(['OK', 'Alerting', 'NoData', 'KeepLast']).to.include(r.noDataState);
        expect(['OK', 'Alerting', 'Error', 'KeepLast']).to.include(r.execErrState);
        expect(r.for).to.match(DURATION);
        expect(r.annotations.summary).to.be.a('string');
        expect(r.labels.severity).to.be.oneOf(['critical', 'warning']);
        const refIds = r.data.map((d) => d.refId);
        expect(new Set(refIds).size).to.equal(refIds.length);
        expect(refIds).to.include(r.condition);
        for (const d of r.data) {
          expect(d.model.refId).to.equal(d.refId);
          expect(d.relativeTimeRange.from).to.be.at.least(d.relativeTimeRange.to);
          if (d.datasourceUid === '__expr__') {
            expect(['reduce', 'threshold', 'math']).to.include(d.model.type);
            expect(refIds, `${d.refId} refers to ${d.model.expression}`).to.include(d.model.expression);
          } else {
            expect(dsUids.has(d.datasourceUid), d.datasourceUid).to.equal(true);
            expect(d.model.expr).to.be.a('string').and.not.equal('');
            expect(d.relativeTimeRange.from).to.be.greaterThan(0);
          }
        }
        const cond = r.data.find((d) => d.refId === r.condition)!;
        expect(cond.model.type).to.equal('threshold');
        expect(cond.model.conditions![0]!.evaluator.type).to.equal('gt');
      });
    }

    function thresholdOf(uid: string): number {
      const rule = rules.find((r) => r.uid === uid)!;
      return rule.data.find((d) => d.refId === rule.condition)!.model.conditions![0]!.evaluator.params[0]!;
    }

    it('error burst fires at 10 errors and not at 9 (rounded increase > 9.5)', () => {
      const t = thresholdOf('audit-error-burst');
      const fires = (increase: number): boolean => Math.round(increase) > t;
      // increase() extrapolates: 9 errors can read 9.4, 10 errors can read 9.6
      expect([9, 9.4].map(fires)).to.deep.equal([false, false]);
      expect([9.6, 10, 10.4, 25].map(fires)).to.deep.equal([true, true, true, true]);
      expect(rules.find((r) => r.uid === 'audit-error-burst')!.data[0]!.model.expr).to.contain('[5m]');
    });

    it('p95 SLO defaults to 2 s, integrity rules fire on any finding', () => {
      expect(thresholdOf('audit-p95-latency')).to.equal(2);
      expect(thresholdOf('audit-integrity-failure')).to.equal(0);
      expect(thresholdOf('audit-sequence-gap')).to.equal(0);
      expect(thresholdOf('audit-workflow-silent')).to.equal(0);
    });

    it('annotations contain no $ (Grafana expands ${VAR} in provisioning files)', () => {
      for (const r of rules) expect(JSON.stringify(r.annotations), r.uid).to.not.contain('$');
    });
  });
});
