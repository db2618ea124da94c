/**
 * docker-compose.yml and the CI start script agree (one source of server flags and versions), and
 * compose is safe by default: ports on 127.0.0.1 unless the user opts in, no anonymous Grafana
 * access, no default admin password (compose's `${VAR:?message}` makes `docker compose up` stop
 * with that message when it is unset). No container engine runs here: these are checks of the files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { readRepoFile, REPO_ROOT } from '../grafana/repo-files.js';
import { prometheusFlags } from './prometheus-flags.js';

interface Service {
  image: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}
const compose = parse(readRepoFile('docker-compose.yml')!) as { services: Record<string, Service> };
const versions = readFileSync(join(REPO_ROOT, 'scripts/stack/versions.sh'), 'utf8');
const startScript = readFileSync(join(REPO_ROOT, 'scripts/stack/start.sh'), 'utf8');

function versionVar(name: string): string {
  const m = new RegExp(`^${name}="([^"]+)"`, 'm').exec(versions);
  if (!m) throw new Error(`${name} not in versions.sh`);
  return m[1] as string;
}

describe('docker-compose.yml and scripts/stack: one source of truth, safe defaults', () => {
  const svc = compose.services;

  it('Prometheus flags: compose and start.sh both pass prometheus/prometheus.flags and nothing else', () => {
    const flags = prometheusFlags();
    expect(flags.length).to.be.greaterThan(0);
    for (const f of flags)
      expect(f, 'one --flag[=value] per line, nothing the shell would split or expand').to.match(
        /^--[a-z0-9.-]+(=[A-Za-z0-9.,:_/-]+)?$/,
      );
    const p = svc.prometheus!;
    expect(p.command).to.equal(undefined);
    expect(p.volumes).to.include('./prometheus/prometheus.flags:/etc/prometheus/prometheus.flags:ro');
    const entry = (p.entrypoint ?? []).join(' ');
    expect(entry).to.contain("$(grep -v '^#' /etc/prometheus/prometheus.flags)");
    // the only flags besides the file: the container's config and storage paths
    expect([...entry.matchAll(/--[a-z.-]+/g)].map((m) => m[0]).sort()).to.deep.equal([
      '--config.file',
      '--storage.tsdb.path',
    ]);
    expect(startScript).to.contain('"$STACK_REPO_ROOT/prometheus/prometheus.flags"');
    expect(startScript).to.contain('"${flags[@]}"');
    expect(startScript, 'no feature flag spelled out in start.sh').to.not.match(
      /--enable-feature|--web\.enable-otlp-receiver/,
    );
  });

  it('collector and Prometheus images are the versions CI builds (scripts/stack/versions.sh)', () => {
    expect(svc['otel-collector']!.image).to.equal(
      `otel/opentelemetry-collector-contrib:${versionVar('OTELCOL_VERSION')}`,
    );
    expect(svc.prometheus!.image).to.equal(`prom/prometheus:v${versionVar('PROMETHEUS_VERSION')}`);
    const [maj, min, patch] = versionVar('PROMETHEUS_VERSION').split('.');
    expect(versionVar('PROMETHEUS_MODULE_VERSION')).to.equal(`v0.${Number(maj) * 100 + Number(min)}.${patch}`);
    const manifest = readRepoFile('collector-config/builder-config.yaml')!;
    expect(manifest).to.match(new RegExp(`^\\s*version: ${versionVar('OTELCOL_VERSION').replace(/\./g, '\\.')}$`, 'm'));
  });

  it('Grafana 13.1 and Loki 3.7 images, pinned to a patch release', () => {
    expect(svc.grafana!.image).to.match(/^grafana\/grafana:13\.1\.\d+$/);
    expect(svc.loki!.image).to.match(/^grafana\/loki:3\.7\.\d+$/);
  });

  it('every published port is bound to ${AUDIT_STACK_BIND_ADDRESS:-127.0.0.1}', () => {
    const ports = Object.values(svc).flatMap((s) => s.ports ?? []);
    expect(ports.length).to.be.greaterThan(5);
    for (const p of ports) expect(p).to.match(/^\$\{AUDIT_STACK_BIND_ADDRESS:-127\.0\.0\.1\}:\d+:\d+$/);
  });

  it('Grafana: no anonymous access, no sign-up, no default admin password (compose stops with a clear message)', () => {
    const env = svc.grafana!.environment!;
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).to.equal('false');
    expect(env.GF_USERS_ALLOW_SIGN_UP).to.equal('false');
    expect(env.GF_SECURITY_ADMIN_PASSWORD).to.match(
      /^\$\{GRAFANA_ADMIN_PASSWORD:\?GRAFANA_ADMIN_PASSWORD is not set\. .+\}$/,
    );
    expect(JSON.stringify(svc)).to.not.match(/GRAFANA_ADMIN_PASSWORD:-|GF_SECURITY_ADMIN_PASSWORD: *admin/);
  });

  it('Grafana renders its provisioning at start: committed files read-only, contact points from templates', () => {
    const g = svc.grafana!;
    expect(g.entrypoint).to.deep.equal(['/bin/sh', '/etc/grafana/audit/render-provisioning.sh', '/run.sh']);
    expect(g.volumes).to.include.members([
      './grafana/provisioning:/etc/grafana/audit/provisioning:ro',
      './grafana/contact-points:/etc/grafana/audit/contact-points:ro',
      './grafana/render-provisioning.sh:/etc/grafana/audit/render-provisioning.sh:ro',
    ]);
    expect(g.environment!.GF_PATHS_PROVISIONING).to.equal('/tmp/audit-provisioning');
    expect(
      readRepoFile('grafana/provisioning/alerting/contact-points.yaml'),
      'no committed contact points with empty settings',
    ).to.equal(undefined);
  });
});
