import { expect } from 'chai';
import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** ESLint with the project's config, running only the layer rule. */
let linter: ESLint | undefined;

/** The layer rule's findings for `code` as if it were the file `filePath` of src/. */
async function layerFindings(filePath: string, code: string): Promise<string[]> {
  linter ??= new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' });
  const [result] = await linter.lintText(code, { filePath: `${ROOT}${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layers of src/ (eslint no-restricted-imports)', () => {
  const UPWARD: [string, string][] = [
    ['src/reports/x.ts', "import { runCli } from '../cli/run.js';\nexport const x = runCli;\n"],
    ['src/sinks/x.ts', "import { AuditLogger } from '../logger/audit-logger.js';\nexport const x = AuditLogger;\n"],
    [
      'src/sinks/journal/x.ts',
      "import { JournalQuery } from '../../query/journal/journal-query.js';\nexport const x = JournalQuery;\n",
    ],
    [
      'src/sinks/webhooks/x.ts',
      "import type { AuditEvent } from '../../query/types.js';\nexport type X = AuditEvent;\n",
    ],
    [
      'src/sinks/journal/open-journal.ts',
      "import { JournalQuery } from '../../query/journal/journal-query.js';\nexport const x = JournalQuery;\n",
    ],
    [
      'src/record/x.ts',
      "import type { SigningProcessor } from '../processors/signing/signing-processor.js';\nexport type X = SigningProcessor;\n",
    ],
  ];
  for (const [file, code] of UPWARD) {
    it(`refuses an upward import in ${file}`, async () => {
      const findings = await layerFindings(file, code);
      expect(findings).to.have.length(1);
      expect(findings[0]).to.match(/must not import from a layer above it/);
    });
  }

  it('allows imports down the layers and within one', async () => {
    expect(
      await layerFindings(
        'src/cli/x.ts',
        "import { generateReport } from '../reports/generate.js';\nexport const x = generateReport;\n",
      ),
    ).to.deep.equal([]);
    expect(
      await layerFindings(
        'src/logger/x.ts',
        "import { openJournal } from '../sinks/journal/open-journal.js';\nexport const x = openJournal;\n",
      ),
    ).to.deep.equal([]);
    expect(
      await layerFindings(
        'src/sinks/journal/x.ts',
        "import { JournalLayout } from './layout.js';\nexport const x = JournalLayout;\n",
      ),
    ).to.deep.equal([]);
  });

  it('finds no upward import anywhere in src/, with no file exempted', async () => {
    // Each file's import specifiers, linted as that file under the real config (its file patterns
    // and any exemption included); only the specifiers are parsed, which keeps this fast.
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).to.be.greaterThan(100);
    const upward: string[] = [];
    let specifiers = 0;
    for (const file of files) {
      const source = readFileSync(join(ROOT, 'src', file), 'utf8');
      const specs = [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((m) => m[1]!);
      specifiers += specs.length;
      const findings = await layerFindings(`src/${file}`, specs.map((spec) => `import '${spec}';\n`).join(''));
      upward.push(...findings.map((f) => `src/${file}: ${f}`));
    }
    expect(specifiers).to.be.greaterThan(500);
    expect(upward).to.deep.equal([]);
  });
});
