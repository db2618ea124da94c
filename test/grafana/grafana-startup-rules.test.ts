/**
 * The Grafana provisioning files held to the rules Grafana enforces when it starts; a provisioning
 * error stops Grafana (a crash loop under `restart: unless-stopped`). Upstream sources, read for
 * facts (Grafana's repository is too large to fetch whole here; the files were read in the stored
 * copies named below, the receivers in the grafana/alerting module):
 * - grafana/grafana pkg/services/ngalert/models/alert_rule.go, SetDashboardAndPanelFromAnnotations:
 *   "both annotations __dashboardUid__ and __panelId__ must be specified"; the panel id must parse
 *   as an integer.
 * - grafana/grafana pkg/services/provisioning/alerting/rules_types.go (commit 0085cf86): group
 *   name, folder and interval required; rule title, uid, data and condition required; `for`
 *   parses; noDataState/execErrState from fixed sets.
 * - grafana/grafana pkg/services/provisioning/alerting/rules_provisioner.go (commit 1e25335c): a rule
 *   group's folder is looked up by TITLE and created with a random uid when missing; the dashboards
 *   file provider (pkg/services/provisioning/dashboards/file_reader.go) looks a folder up by
 *   `folderUid` when given: naming it by uid on one side makes two folders of the same title.
 * - grafana/alerting receivers/{email,slack,discord,webhook}/v1/config.go (commit 783ce041):
 *   email needs `addresses`; Slack a `url` (else token and recipient); Discord and webhook a `url`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { CONTACT_POINT_ENV } from '../../grafana/src/contact-points.js';
import { listRepoDir, readDashboard, readYaml, REPO_ROOT } from './repo-files.js';

interface Rule {
  uid?: string;
  title?: string;
  condition?: string;
  data?: unknown[];
  for?: string;
  noDataState?: string;
  execErrState?: string;
  annotations?: Record<string, string>;
}
interface RulesFile {
  groups: { name?: string; folder?: string; interval?: string; rules: Rule[] }[];
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** Errors Grafana's rule provisioning would report for a rules file (empty: it starts). */
function ruleFileErrors(doc: RulesFile, dashboards: ReadonlyMap<string, Set<number>>): string[] {
  const out: string[] = [];
  for (const g of doc.groups) {
    if (!g.name?.trim()) out.push('rule group has no name set');
    if (!g.folder?.trim()) out.push(`group ${g.name}: rule group has no folder set`);
    if (!DURATION.test(g.interval ?? '')) out.push(`group ${g.name}: bad interval ${g.interval}`);
    for (const r of g.rules) {
      const id = r.title ?? '?';
      if (!r.title) out.push('rule has no title set');
      if (!r.uid) out.push(`rule '${id}' failed to parse: no UID set`);
      if (!r.data?.length) out.push(`rule '${id}' failed to parse: no data set`);
      if (!r.condition) out.push(`rule '${id}' failed to parse: no condition set`);
      if (r.for !== undefined && r.for !== '' && !DURATION.test(r.for))
        out.push(`rule '${id}' failed to parse 'for' field`);
      if (r.noDataState && !['Alerting', 'NoData', 'OK', 'KeepLast'].includes(r.noDataState))
        out.push(`rule '${id}': unknown NoData state option ${r.noDataState}`);
      if (r.execErrState && !['Alerting', 'Error', 'OK', 'KeepLast'].includes(r.execErrState))
        out.push(`rule '${id}': unknown Error state option ${r.execErrState}`);
      const dash = r.annotations?.__dashboardUid__;
      const panel = r.annotations?.__panelId__;
      if ((dash === undefined) !== (panel === undefined))
        out.push(`rule '${id}': both annotations __dashboardUid__ and __panelId__ must be specified`);
      if (panel !== undefined && !/^-?\d+$/.test(panel))
        out.push(`rule '${id}': __panelId__ ${panel} is not an integer`);
      // our own consistency: the link goes to a provisioned dashboard and an existing panel
      if (dash !== undefined && panel !== undefined && !dashboards.get(dash)?.has(Number(panel)))
        out.push(`rule '${id}': no panel ${panel} on provisioned dashboard ${dash}`);
    }
  }
  return out;
}

function provisionedDashboards(): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const f of listRepoDir('grafana/dashboards').filter((n) => n.endsWith('.json'))) {
    const d = readDashboard(f.replace(/\.json$/, '')) as { uid: string; panels: { id: number }[] };
    out.set(d.uid, new Set(d.panels.map((p) => p.id)));
  }
  return out;
}

/** Folder problems between the dashboards provider and the rule groups (empty: one folder). */
function folderErrors(providers: { folder?: string; folderUid?: string }[], rules: RulesFile): string[] {
  const out: string[] = [];
  const ruleFolders = new Set(rules.groups.map((g) => g.folder));
  for (const p of providers) {
    if (p.folderUid !== undefined)
      out.push(
        `dashboards provider names its folder by uid ${p.folderUid}; rule files can only name it by title: two folders titled ${p.folder}`,
      );
    if (!ruleFolders.has(p.folder))
      out.push(`dashboards folder ${p.folder} differs from the rules' folders ${[...ruleFolders].join(', ')}`);
  }
  return out;
}

/** Settings a receiver needs, after Grafana interpolated `${VAR}` from `env` (unset → ""). */
function receiverErrors(
  r: { type: string; settings: Record<string, unknown> },
  env: Readonly<Record<string, string>>,
): string[] {
  const value = (k: string): string =>
    String(r.settings[k] ?? '')
      .replace(/\$\{(\w+)\}/g, (_, v: string) => env[v] ?? '')
      .trim();
  switch (r.type) {
    case 'email':
      return value('addresses') ? [] : ['email: could not find addresses in settings'];
    case 'slack':
      return value('url') || (value('token') && value('recipient'))
        ? []
        : ['slack: token/recipient must be specified when using the Slack chat API'];
    case 'discord':
      return value('url') ? [] : ['discord: could not find webhook url property in settings'];
    case 'webhook':
      return value('url') ? [] : ["webhook: required field 'url' is not specified"];
    default:
      return [`unknown receiver type ${r.type}`];
  }
}

interface ContactPointsFile {
  contactPoints: { name: string; receivers: { uid: string; type: string; settings: Record<string, unknown> }[] }[];
  policies: { receiver: string }[];
}

/** Runs grafana/render-provisioning.sh with `env`; returns the rendered contact points (undefined: none). */
function render(env: Readonly<Record<string, string>>): ContactPointsFile | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'audit-render-'));
  try {
    execFileSync('sh', [join(REPO_ROOT, 'grafana/render-provisioning.sh')], {
      env: {
        PATH: process.env.PATH ?? '',
        AUDIT_PROVISIONING_SOURCE: join(REPO_ROOT, 'grafana/provisioning'),
        AUDIT_CONTACT_POINT_TEMPLATES: join(REPO_ROOT, 'grafana/contact-points'),
        GF_PATHS_PROVISIONING: join(dir, 'provisioning'),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    for (const f of ['datasources/datasources.yaml', 'dashboards/dashboards.yaml', 'alerting/rules.yaml'])
      expect(existsSync(join(dir, 'provisioning', f)), f).to.equal(true);
    const file = join(dir, 'provisioning/alerting/contact-points.yaml');
    return existsSync(file) ? (parse(readFileSync(file, 'utf8')) as ContactPointsFile) : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function contactPointErrors(doc: ContactPointsFile | undefined, env: Readonly<Record<string, string>>): string[] {
  if (doc === undefined) return [];
  const names = new Set(doc.contactPoints.map((c) => c.name));
  return [
    ...doc.contactPoints.flatMap((c) => c.receivers.flatMap((r) => receiverErrors(r, env))),
    ...doc.policies
      .filter((p) => !names.has(p.receiver))
      .map((p) => `policy routes to unknown contact point ${p.receiver}`),
  ];
}

describe('grafana provisioning against the rules Grafana enforces at start-up', () => {
  const rules = readYaml('grafana/provisioning/alerting/rules.yaml') as unknown as RulesFile;
  const dashboards = provisionedDashboards();

  it('alert rules: required fields, and __dashboardUid__ only together with an integer __panelId__ of an existing panel', () => {
    expect(rules.groups.flatMap((g) => g.rules)).to.have.length(5);
    expect(ruleFileErrors(rules, dashboards)).to.deep.equal([]);
    // the defect put back (annotation without __panelId__) is found:
    const broken = structuredClone(rules);
    delete broken.groups[0]!.rules[0]!.annotations!.__panelId__;
    expect(ruleFileErrors(broken, dashboards)).to.have.length(1);
    const badPanel = structuredClone(rules);
    badPanel.groups[0]!.rules[1]!.annotations!.__panelId__ = '999';
    expect(ruleFileErrors(badPanel, dashboards)).to.have.length(1);
  });

  it('dashboards and alert rules land in one folder (both name it by title)', () => {
    const doc = readYaml('grafana/provisioning/dashboards/dashboards.yaml') as unknown as {
      providers: { folder?: string; folderUid?: string }[];
    };
    expect(folderErrors(doc.providers, rules)).to.deep.equal([]);
    expect(
      folderErrors([{ ...doc.providers[0], folderUid: 'orchestrator-audit' }], rules),
      'defect put back',
    ).to.have.length(1);
  });

  describe('contact points rendered when the container starts (grafana/render-provisioning.sh)', () => {
    const all = {
      [CONTACT_POINT_ENV.email]: 'ops@example.com',
      GF_SMTP_HOST: 'smtp.example.com:587',
      [CONTACT_POINT_ENV.slack]: 'https://hooks.slack.example/T/B/x',
      [CONTACT_POINT_ENV.discord]: 'https://discord.example/api/webhooks/1/x',
      [CONTACT_POINT_ENV.webhook]: 'https://hooks.example/audit',
    };

    it('nothing configured (compose defaults every variable to empty): no contact point, no policy', () => {
      const env = Object.fromEntries(Object.keys(all).map((k) => [k, '']));
      expect(render(env)).to.equal(undefined);
      expect(render({ [CONTACT_POINT_ENV.webhook]: '  ' }), 'blank counts as unset').to.equal(undefined);
    });

    for (const [name, env] of Object.entries({
      'Slack only': { [CONTACT_POINT_ENV.slack]: all[CONTACT_POINT_ENV.slack] },
      'webhook only': { [CONTACT_POINT_ENV.webhook]: all[CONTACT_POINT_ENV.webhook] },
      'email without SMTP host: not provisioned': { [CONTACT_POINT_ENV.email]: all[CONTACT_POINT_ENV.email] },
      'email with SMTP and Discord': {
        [CONTACT_POINT_ENV.email]: all[CONTACT_POINT_ENV.email],
        GF_SMTP_HOST: all.GF_SMTP_HOST,
        [CONTACT_POINT_ENV.discord]: all[CONTACT_POINT_ENV.discord],
      },
      'all four': all,
    } as Record<string, Record<string, string>>)) {
      it(`${name}: exactly those integrations, none with an empty required setting, the policy routes to them`, () => {
        const doc = render(env);
        const expected = ['email', 'slack', 'discord', 'webhook'].filter((t) =>
          t === 'email'
            ? !!env[CONTACT_POINT_ENV.email] && !!env.GF_SMTP_HOST
            : !!env[CONTACT_POINT_ENV[t as 'slack' | 'discord' | 'webhook']],
        );
        const types = doc ? doc.contactPoints.flatMap((c) => c.receivers.map((r) => r.type)) : [];
        expect([...types].sort()).to.deep.equal([...expected].sort());
        expect(contactPointErrors(doc, env)).to.deep.equal([]);
        if (doc) expect(doc.policies).to.have.length(1);
      });
    }

    it('the receiver check finds an empty required setting (the old file with nothing set)', () => {
      const old: ContactPointsFile = {
        contactPoints: [
          {
            name: 'x',
            receivers: (['email', 'slack', 'discord', 'webhook'] as const).map((t) => ({
              uid: t,
              type: t,
              settings:
                t === 'email'
                  ? { addresses: '${' + CONTACT_POINT_ENV.email + '}' }
                  : { url: '${' + CONTACT_POINT_ENV[t] + '}' },
            })),
          },
        ],
        policies: [{ receiver: 'x' }],
      };
      expect(contactPointErrors(old, {})).to.have.length(4);
    });
  });
});
