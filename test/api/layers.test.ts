import { expect } from 'chai';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The layer rule's findings for `code` as if it were the file `filePath` of src/. */
async function layerFindings(filePath: string, code: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: `${ROOT}${filePath}` });
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
    const results = await new ESLint({ cwd: ROOT }).lintFiles(['src/**/*.ts']);
    expect(results.length).to.be.greaterThan(100);
    const upward = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => `${r.filePath.slice(ROOT.length)}:${m.line} ${m.message}`),
    );
    expect(upward).to.deep.equal([]);
  });
});
