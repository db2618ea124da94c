/**
 * @e2e The Prometheus the e2e suites use runs with exactly the flags of prometheus/prometheus.flags
 * (the file docker-compose.yml passes too), and every Prometheus query of the provisioned alert
 * rules (read from grafana/provisioning/alerting/rules.yaml) is accepted by it. The values the
 * rules compute are checked on seeded data by grafana-queries.test.ts against the same server.
 */
import { expect } from 'chai';
import { readYaml } from '../grafana/repo-files.js';
import { prometheusFlags } from './prometheus-flags.js';
import { assertReachable, stackEnv } from './stack-env.js';

interface Rule {
  uid: string;
  data: { datasourceUid: string; model: { expr?: string } }[];
}

describe('@e2e Prometheus runs with prometheus/prometheus.flags and accepts every alert rule query', function () {
  this.timeout(30_000);
  const env = stackEnv();
  before(async () => assertReachable('Prometheus', `${env.prometheusUrl}/-/ready`));

  it('its runtime flags are the file’s', async () => {
    const res = await fetch(`${env.prometheusUrl}/api/v1/status/flags`);
    const running = ((await res.json()) as { data: Record<string, string> }).data;
    const expected = new Map<string, string[]>();
    for (const f of prometheusFlags()) {
      const [name, value] = f.replace(/^--/, '').split(/=(.*)/s) as [string, string | undefined];
      expected.set(name, [...(expected.get(name) ?? []), value ?? 'true']);
    }
    for (const [name, values] of expected) {
      const got = running[name];
      if (name === 'enable-feature')
        expect((got ?? '').split(',').sort(), name).to.deep.equal(values.flatMap((v) => v.split(',')).sort());
      else expect(got, name).to.equal(values.join(','));
    }
    // and no feature beyond the file's
    const features = (running['enable-feature'] ?? '').split(',').filter((x) => x !== '');
    expect(features.sort()).to.deep.equal((expected.get('enable-feature') ?? []).flatMap((v) => v.split(',')).sort());
  });

  it('every Prometheus query of the provisioned alert rules parses and evaluates', async () => {
    const doc = readYaml('grafana/provisioning/alerting/rules.yaml') as { groups: { rules: Rule[] }[] };
    const queries = doc.groups.flatMap((g) =>
      g.rules.flatMap((r) =>
        r.data.filter((d) => d.datasourceUid === 'prometheus').map((d) => ({ uid: r.uid, expr: d.model.expr ?? '' })),
      ),
    );
    expect(queries.length).to.equal(4);
    expect(queries.some((q) => q.expr.includes(' anchored'))).to.equal(true);
    for (const q of queries) {
      const res = await fetch(`${env.prometheusUrl}/api/v1/query`, {
        method: 'POST',
        body: new URLSearchParams({ query: q.expr }),
      });
      const body = (await res.json()) as { status: string; error?: string };
      expect(body.status, `${q.uid}: ${body.error ?? ''}`).to.equal('success');
    }
  });
});
