import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generatedFiles } from '../../grafana/src/artifacts.js';
import { writeGeneratedFiles } from '../../grafana/src/generate.js';
import { listRepoDir, readRepoFile } from './repo-files.js';

const HINT = 'generated Grafana files are out of date: run npm run grafana:generate';

describe('grafana generated files', () => {
  const files = generatedFiles();

  it('generates six dashboards, three provisioning files and the contact point templates', () => {
    const paths = [...files.keys()];
    expect(paths.filter((p) => p.startsWith('grafana/dashboards/'))).to.have.length(6);
    expect(paths).to.include.members([
      'grafana/provisioning/datasources/datasources.yaml',
      'grafana/provisioning/dashboards/dashboards.yaml',
      'grafana/provisioning/alerting/rules.yaml',
      'grafana/contact-points/contact-point-head.yaml',
      'grafana/contact-points/policy.yaml',
      'grafana/contact-points/receivers/email.yaml',
      'grafana/contact-points/receivers/slack.yaml',
      'grafana/contact-points/receivers/discord.yaml',
      'grafana/contact-points/receivers/webhook.yaml',
    ]);
    // rendered when the Grafana container starts, never committed with empty settings
    expect(paths).to.not.include('grafana/provisioning/alerting/contact-points.yaml');
  });

  it('is deterministic (two generations are byte-identical)', () => {
    expect([...generatedFiles().entries()]).to.deep.equal([...files.entries()]);
  });

  for (const [rel, content] of generatedFiles()) {
    it(`committed ${rel} matches the generator`, () => {
      const committed = readRepoFile(rel);
      expect(committed, `${rel} is missing: ${HINT}`).to.be.a('string');
      const parsedCommitted = rel.endsWith('.json') ? JSON.parse(committed!) : parse(committed!);
      const parsedFresh = rel.endsWith('.json') ? JSON.parse(content) : parse(content);
      expect(parsedCommitted, `${rel}: ${HINT}`).to.deep.equal(parsedFresh);
      expect(committed === content, `${rel} differs in formatting: ${HINT}`).to.equal(true);
    });
  }

  it('has no stale dashboard JSON the generator no longer writes', () => {
    const committed = listRepoDir('grafana/dashboards').filter((f) => f.endsWith('.json'));
    const generated = [...files.keys()]
      .filter((p) => p.startsWith('grafana/dashboards/'))
      .map((p) => p.slice('grafana/dashboards/'.length));
    expect(committed, HINT).to.deep.equal(generated.sort());
  });

  it('detects a changed file (the up-to-date check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grafana-gen-'));
    try {
      writeGeneratedFiles(dir, { errorBurstThreshold: 11, p95SloSeconds: 2, silenceMinutes: 15 });
      const custom = readFileSync(join(dir, 'grafana/provisioning/alerting/rules.yaml'), 'utf8');
      expect(custom).to.not.equal(files.get('grafana/provisioning/alerting/rules.yaml'));
      expect(custom).to.contain('11 or more errors in 5 minutes');
      const dash = readFileSync(join(dir, 'grafana/dashboards/audit-overview.json'), 'utf8');
      expect(dash).to.equal(files.get('grafana/dashboards/audit-overview.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
