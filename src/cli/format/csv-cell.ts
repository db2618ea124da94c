/**
 * CSV cells that a spreadsheet cannot run. Excel, LibreOffice and Google Sheets evaluate a cell
 * that starts with `=`, `+`, `-` or `@` as a formula (and a leading tab or carriage return can hide
 * such a start), so a lead name like `=HYPERLINK("http://…")` in an exported audit trail would run
 * when the export is opened. Such cells get a leading `'`, which spreadsheets show as text
 * (the OWASP "CSV injection" advice); every other cell is written as it is.
 */

/** Characters that make a spreadsheet read a cell as a formula (or hide one). */
const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** `cell` made safe to open in a spreadsheet: prefixed with `'` when it starts like a formula. */
export function neutralizeFormula(cell: string): string {
  return cell.length > 0 && FORMULA_STARTS.has(cell[0] as string) ? `'${cell}` : cell;
}

/** A CSV row's cells made safe to open in a spreadsheet; numbers are kept as numbers. */
export function safeCsvRow(cells: readonly (string | number)[]): (string | number)[] {
  return cells.map((cell) => (typeof cell === 'string' ? neutralizeFormula(cell) : cell));
}
