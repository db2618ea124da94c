import { expect } from 'chai';
import { ATTR, METRIC } from '../../src/events/semconv.js';
import { PROM_METRICS } from '../../src/query/prometheus/prometheus-query-source.js';
import { generatedFiles } from '../../grafana/src/artifacts.js';
import { allQueries, DEFAULT_ALERT_PARAMS } from '../../grafana/src/queries.js';
import { checkGrammar } from '../../grafana/src/query-grammar.js';
import { DEFAULT_VARIABLE_VALUES, substituteVariables, variablesOf } from '../../grafana/src/template-variables.js';
import { collect, readYaml } from './repo-files.js';

const queries = allQueries();

describe('grafana queries: grammar (lezer PromQL / LogQL) and names', () => {
  for (const q of queries) {
    it(`${q.id} (${q.kind}) parses without error nodes`, () => {
      const r = checkGrammar(q.kind, q.expr);
      expect(r.errors, `${r.parsed}\nerrors: ${JSON.stringify(r.errors)}`).to.deep.equal([]);
      expect(r.topNode).to.not.equal('');
    });
  }

  it('substitutes every template variable and rejects unknown ones', () => {
    for (const q of queries) {
      const parsed = substituteVariables(q.expr);
      expect(parsed, q.id).to.not.match(/\$\w|\$\{/);
      for (const v of variablesOf(q.expr)) expect(DEFAULT_VARIABLE_VALUES, `${q.id} uses $${v}`).to.have.property(v);
    }
    expect(() => substituteVariables('rate(x[$__nope])')).to.throw(/__nope/);
    expect(substituteVariables('rate(x{a=~"$workflow"}[${__rate_interval}])', { workflow: 'sales' })).to.equal(
      'rate(x{a=~"sales"}[1m])',
    );
  });

  it('alert queries use no template variables (Grafana does not expand them in rules)', () => {
    for (const q of queries.filter((x) => x.source === 'alert')) expect(variablesOf(q.expr), q.id).to.deep.equal([]);
  });

  const broken: [string, 'promql' | 'logql', string][] = [
    ['unbalanced parenthesis', 'promql', 'sum(rate(orchestrator_audit_errors_total[5m])'],
    ['missing range', 'promql', 'rate(orchestrator_audit_errors_total[])'],
    ['bad matcher operator', 'promql', 'orchestrator_audit_errors_total{orchestrator_workflow=="x"}'],
    ['dangling pipe', 'logql', '{service_name=~".+"} | orchestrator_event_type = "error" |'],
    ['no stream selector', 'logql', 'count_over_time(| json [5m])'],
    ['unquoted label value', 'logql', '{service_name=~".+"} | orchestrator_event_type = error'],
  ];
  for (const [what, kind, expr] of broken) {
    it(`rejects a broken ${kind} query (${what})`, () => {
      expect(checkGrammar(kind, expr).errors).to.not.deep.equal([]);
    });
  }

  it('uses only the SDK metric names and label names derived from semconv', () => {
    const metricNames = new Set<string>(Object.values(PROM_METRICS));
    const labelNames = new Set<string>(
      [...Object.values(ATTR), 'audit.failure.kind', 'audit.seal.reason', 'orchestrator.operation'].map((k) =>
        k.replace(/\./g, '_'),
      ),
    );
    expect(Object.keys(METRIC).every((k) => k in PROM_METRICS)).to.equal(true);
    for (const q of queries) {
      for (const [name] of q.expr.matchAll(/\b(?:orchestrator|audit)_[a-z_]+\b/g)) {
        expect(metricNames.has(name) || labelNames.has(name), `${q.id}: unknown name ${name}`).to.equal(true);
      }
    }
  });

  it('every expression in the generated dashboards and rules comes from queries.ts, and every query is used', () => {
    const known = new Map(queries.map((q) => [q.expr, q]));
    const used = new Set<string>();
    for (const [rel, content] of generatedFiles()) {
      if (!rel.endsWith('.json') && !rel.endsWith('rules.yaml')) continue;
      const doc: unknown = rel.endsWith('.json') ? JSON.parse(content) : readYaml(rel);
      for (const { path, value } of collect(doc, 'expr')) {
        expect(known.has(String(value)), `${rel} ${path}: ${String(value)} is not in allQueries()`).to.equal(true);
        used.add(String(value));
      }
    }
    const unused = queries.filter((q) => !used.has(q.expr)).map((q) => q.id);
    expect(unused, 'queries defined but used by no dashboard or rule').to.deep.equal([]);
  });

  it('derived-field URLs of the Loki datasource are valid LogQL', () => {
    const ds = readYaml('grafana/provisioning/datasources/datasources.yaml');
    const urls = collect(ds, 'derivedFields').flatMap((d) => (d.value as { url: string }[]).map((f) => f.url));
    expect(urls).to.have.length(2);
    for (const url of urls) {
      // `$$` is the provisioning escape of `$`; Grafana then replaces ${__value.raw} with the field value
      expect(url).to.contain('$${__value.raw}');
      const logql = url.replace('$${__value.raw}', 'LEAD-0001');
      expect(logql).to.not.contain('$');
      expect(checkGrammar('logql', logql).errors, logql).to.deep.equal([]);
    }
  });

  it('alert thresholds are the documented defaults', () => {
    expect(DEFAULT_ALERT_PARAMS).to.deep.equal({ errorBurstThreshold: 10, p95SloSeconds: 2, silenceMinutes: 15 });
  });
});
