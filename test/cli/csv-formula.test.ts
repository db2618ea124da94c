/**
 * CSV export never hands a spreadsheet a formula: cells that start with `=`, `+`, `-`, `@`, tab
 * or carriage return (lead data comes from web forms) are written with a leading `'`.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { neutralizeFormula } from '../../src/cli/format/csv-cell.js';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { cli, FIXTURE_KEY, FIXTURE_VERIFY_KEYS, tempDir } from './fixture.js';

/** RFC 4180 rows of `text` (quoted cells with doubled quotes, CRLF or LF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const PAYLOADS = [
  '=HYPERLINK("http://127.0.0.1/x","click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];

describe('CSV export neutralizes spreadsheet formulas', function () {
  this.timeout(20000);

  it('prefixes every formula-like cell with a quote and leaves other cells alone', () => {
    for (const p of PAYLOADS) expect(neutralizeFormula(p)).to.equal(`'${p}`);
    for (const p of ['LEAD-001', 'sales', '', '1+1', 'a=b', "'quoted"]) expect(neutralizeFormula(p)).to.equal(p);
  });

  it('audit-cli export --format csv writes no cell a spreadsheet would evaluate', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, 'audit.log');
      const audit = createAuditLogger({ auditFile: file, signingKey: FIXTURE_KEY, signingKeyId: 'k1', env: {} });
      for (const p of PAYLOADS) {
        audit.logError(p, p, p, p);
        audit.logLeadRouted('LEAD-1', p, p, 'sales');
      }
      await audit.shutdown();
      const out = path.join(dir, 'out.csv');
      const r = await cli(['--file', file, 'export', '--format', 'csv', '--output', out], {
        AUDIT_VERIFY_KEYS: FIXTURE_VERIFY_KEYS,
      });
      expect(r.code, r.stderr).to.equal(0);
      const rows = parseCsv(await readFile(out, 'utf8'));
      expect(rows.length).to.be.greaterThan(PAYLOADS.length * 2, 'every event exported');
      const cells = rows.flat();
      for (const cell of cells) expect(/^[=+\-@\t\r]/.test(cell), `cell ${JSON.stringify(cell)}`).to.equal(false);
      // the payloads are still there, as text
      for (const p of PAYLOADS) expect(cells).to.include(`'${p}`);
    } finally {
      await cleanup();
    }
  });
});
