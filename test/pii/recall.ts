/**
 * Recall and collateral of the detectors on the corpus of `corpus.ts`. A labelled value counts as
 * caught when every letter and digit of it lies inside a match (of any kind: an SSN found as a phone
 * number is still not left in the text); a PII-free line counts as altered when anything in it is
 * matched. Run `node dist/test/pii/recall.js` for the table.
 */
import { pathToFileURL } from 'node:url';
import { PiiDetectors } from '../../src/processors/pii/detectors.js';
import { labelledCorpus, piiFreeCorpus, type LabelledText } from './corpus.js';

/** Caught / total per kind, plus the misses. */
export interface RecallReport {
  readonly perKind: ReadonlyMap<string, { caught: number; total: number }>;
  readonly caught: number;
  readonly total: number;
  readonly misses: readonly LabelledText[];
  readonly altered: readonly string[];
  readonly clean: number;
}

/** True when every letter and digit of the labelled value is inside a match found in its text. */
export function caught(detectors: PiiDetectors, item: LabelledText): boolean {
  const found = detectors.find(item.text) ?? [];
  for (let i = item.start; i < item.start + item.value.length; i++) {
    if (!/[\p{L}\p{N}]/u.test(item.text[i] as string)) continue;
    if (!found.some((m) => m.start <= i && i < m.end)) return false;
  }
  return true;
}

/** Measures the detectors on the whole corpus. */
export function measureRecall(detectors = new PiiDetectors()): RecallReport {
  const perKind = new Map<string, { caught: number; total: number }>();
  const misses: LabelledText[] = [];
  let hits = 0;
  const labelled = labelledCorpus();
  for (const item of labelled) {
    const row = perKind.get(item.kind) ?? { caught: 0, total: 0 };
    row.total++;
    if (caught(detectors, item)) {
      row.caught++;
      hits++;
    } else {
      misses.push(item);
    }
    perKind.set(item.kind, row);
  }
  const clean = piiFreeCorpus();
  const altered = clean.filter((line) => detectors.find(line) !== undefined);
  return { perKind, caught: hits, total: labelled.length, misses, altered, clean: clean.length };
}

const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)} %`;

/** The report as a Markdown table. */
export function formatRecall(r: RecallReport): string {
  const rows = [...r.perKind].map(
    ([kind, { caught: c, total }]) =>
      `| ${kind.padEnd(6)} | ${String(total).padStart(5)} | ${pct(c, total).padStart(8)} |`,
  );
  return [
    '| kind   | texts | recall   |',
    '|--------|-------|----------|',
    ...rows,
    `| all    | ${String(r.total).padStart(5)} | ${pct(r.caught, r.total).padStart(8)} |`,
    '',
    `collateral: ${r.altered.length} of ${r.clean} PII-free lines altered (${pct(r.altered.length, r.clean)})`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = measureRecall();
  console.log(formatRecall(report));
  if (process.argv.includes('--misses')) {
    for (const m of report.misses) console.log('miss', m.kind, m.source, JSON.stringify(m.text));
    for (const a of report.altered) console.log('altered', JSON.stringify(a));
  }
}
