/** Plain readable tables (cli-table3) with no colour codes, so output is the same on terminals and in files. */
import Table from 'cli-table3';

/** A table cell value. */
export type CellText = string | number;

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Column alignment, by column index (numbers are right-aligned by default). */
  readonly align?: readonly ('left' | 'right' | 'center')[];
}

/** Renders a table with a header row; returns it with a trailing newline. */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly CellText[])[],
  options: TableOptions = {},
): string {
  const colAligns = head.map(
    (_, i) => options.align?.[i] ?? (rows.length > 0 && typeof rows[0]?.[i] === 'number' ? 'right' : 'left'),
  );
  const table = new Table({ head: [...head], colAligns, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(row.map((c) => (typeof c === 'number' ? String(c) : c)));
  return table.toString() + '\n';
}

/** Renders `key: value` pairs as a two-column table without a header. */
export function renderKeyValues(pairs: readonly (readonly [string, CellText])[]): string {
  const table = new Table({ style: { head: [], border: [], compact: true } });
  for (const [k, v] of pairs) table.push([k, typeof v === 'number' ? String(v) : v]);
  return table.toString() + '\n';
}
