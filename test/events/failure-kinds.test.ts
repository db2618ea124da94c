import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { AuditDiagnostics } from '../../src/events/diagnostics.js';
import { failureCatalogue, FAILURE_KINDS, SANITIZE_ISSUES } from '../../src/events/failure-kinds.js';

const REPO = resolve(import.meta.dirname, '../../..');
const KINDS = new Set<string>(failureCatalogue().map((e) => e.kind));
/** Option paths that look like kinds but are not (`pii.key` is the pseudonymize key option). */
const NOT_KINDS = new Set(['pii.key']);

/** The rows of the table under `## Failure kinds` in docs/sdk.md, as [kind, meaning]. */
function documentedRows(): [string, string][] {
  const doc = readFileSync(join(REPO, 'docs/sdk.md'), 'utf8');
  const start = doc.indexOf('## Failure kinds');
  expect(start, 'docs/sdk.md has a "## Failure kinds" section').to.be.greaterThan(-1);
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  return [...section.matchAll(/^\| `([^`]+)` \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!.replace(/\\\|/g, '|')]);
}

describe('failure kinds: one catalogue (src/events/failure-kinds.ts)', () => {
  it('docs/sdk.md lists exactly the catalogue, kind by kind and meaning by meaning', () => {
    expect(documentedRows()).to.deep.equal(failureCatalogue().map((e) => [e.kind, e.meaning]));
  });

  it('every kind-shaped name in the docs and README is a kind of the catalogue', () => {
    const prefixes = [...new Set([...KINDS].map((k) => k.split('.')[0]))].join('|');
    const shape = new RegExp('`((?:' + prefixes + ')\\.[a-z][a-z_-]*)`', 'g');
    const files = [
      'README.md',
      ...readdirSync(join(REPO, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const unknown: string[] = [];
    let seen = 0;
    for (const file of files) {
      for (const m of readFileSync(join(REPO, file), 'utf8').matchAll(shape)) {
        seen++;
        if (!KINDS.has(m[1]!) && !NOT_KINDS.has(m[1]!)) unknown.push(`${file}: ${m[1]}`);
      }
    }
    expect(seen).to.be.greaterThan(KINDS.size); // the table itself and the per-area pages
    expect(unknown).to.deep.equal([]);
  });

  it('has a meaning for every kind, and sanitize kinds for every issue', () => {
    for (const e of failureCatalogue()) expect(e.meaning, e.kind).to.match(/^\S.{10,}/);
    expect([...KINDS].filter((k) => k.startsWith('sanitize.'))).to.have.length(Object.keys(SANITIZE_ISSUES).length);
    expect(Object.keys(FAILURE_KINDS).every((k) => /^[a-z]+\.[a-z_-]+$/.test(k))).to.equal(true);
  });

  it('AuditDiagnostics.count takes only catalogue kinds (a misspelt kind does not compile)', () => {
    const diagnostics = new AuditDiagnostics();
    diagnostics.count('journal.write', 'disk full');
    diagnostics.count('sanitize.circular');
    // @ts-expect-error a kind that is not in the catalogue
    diagnostics.count('journal.wrte', 'typo');
    // @ts-expect-error an issue that is not in the catalogue
    diagnostics.count('sanitize.circullar');
    // the type is the only guard: at run time the count still happens, nothing is lost
    expect(diagnostics.total()).to.equal(4);
  });

  it('AuditDiagnostics.count counts several failures at once, and its listeners are told how many', () => {
    const diagnostics = new AuditDiagnostics();
    const heard: [string, string | undefined, number][] = [];
    diagnostics.onFailure((kind, detail, times) => heard.push([kind, detail, times]));
    diagnostics.count('journal.lost', '3 record(s) could not be written', 3);
    diagnostics.count('journal.lost', 'one more');
    diagnostics.count('journal.lost', 'none', 0);
    expect(diagnostics.total('journal.lost')).to.equal(4);
    expect(heard).to.deep.equal([
      ['journal.lost', '3 record(s) could not be written', 3],
      ['journal.lost', 'one more', 1],
    ]);
  });
});
