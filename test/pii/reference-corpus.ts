/**
 * A varied, deterministic corpus of records for comparing the PII processor with a straightforward
 * reference (`reference.test.ts`): lead records as the benchmark generates them, values of every
 * PII kind, near-misses, Unicode tricks (fullwidth digits, zero-width and bidi characters,
 * combining marks, surrogate pairs) and long strings, under keys whose order, PII-ness and values
 * change from record to record, so values recur at the same positions under other keys.
 */
import fc from 'fast-check';
import { generateLeads, seededRandom } from '../../bench/workload.js';
import { labelledCorpus, piiFreeCorpus } from './corpus.js';
import { luhnInvalidNumber, nonPii, piiSample } from './generators.js';

/** Hand-written values: near-misses, Unicode tricks, values glued to text. */
const TRICKY: readonly string[] = [
  'jane@example',
  'jane@@example.com',
  '@example.com',
  'jane.doe@example.c',
  '415-555-010',
  '4111 1111 1111 1112',
  '4111 1111 1111 1111',
  '999.1.1.1',
  '1.2.3.4.5',
  '10.0.0.1',
  'fe80::1',
  'DE89 3704 0044 0532 0130 00',
  'DE89 3704 0044 0532 0130 00 x',
  '078-05-1120',
  'ssn 078-05-1120',
  '+49 30 1234567',
  '+49 30 1234567 ',
  ' +49 30 1234567',
  '+49 30 12345678901234567',
  '(030) 1234 5678',
  'call 415-555-0100x42 now',
  'ORD-2026-000123',
  'LEAD-100001',
  '１２３.４５.６７.８９',
  '＋４９ ３０ １２３４５６７',
  'jane＠example.com',
  'jane\u200b@example.com',
  '4\u200b1\u200b1\u200b1 1111 1111 1111',
  '\u200f+49 30 1234567\u200f',
  '\u202ejane@example.com\u202c',
  '\u2066jane@example.com\u2069',
  'José García',
  'Jose\u0301 Garci\u0301a jose\u0301@example.com',
  'e\u0301\u0301\u0301 415-555-0100',
  '😀 jane@example.com 😀',
  '😀😀😀',
  '𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏',
  '４１１１\u00a0１１１１\u00a0１１１１\u00a0１１１１',
  'lone \ud800 half 415-555-0100',
  'lone half at the end \udc00',
  'Müller',
  'Ærø',
  '中文 415-555-0100',
  'Жанна',
  '',
  ' ',
  'ab',
  '12',
  'x'.repeat(63) + '@a.io',
  'x'.repeat(64) + '@a.io',
  'y'.repeat(65) + ' 415-555-0100',
  'z'.repeat(255) + '1',
  'z'.repeat(256) + '1',
  'note '.repeat(60) + 'jane@example.com',
  'a'.repeat(5000) + ' 4111 1111 1111 1111 ' + 'b'.repeat(5000),
  '1 '.repeat(3000),
  '@'.repeat(2000) + 'a'.repeat(2000),
];

/** Every leaf value of the corpus (strings, numbers, booleans). */
export function referenceLeaves(): (string | number | boolean)[] {
  const out: (string | number | boolean)[] = [...TRICKY, 0, 42, 1234.56, 4111111111111111, 4155550100, -7, true, false];
  for (const l of generateLeads(200, 7)) {
    const d = l.data;
    out.push(l.leadId, l.source, l.workflow, d.first_name, d.last_name, d.email, d.phone, d.company, d.address, d.ip);
    out.push(d.score, d.budget_eur, d.utm.campaign, ...d.tags);
  }
  out.push(...fc.sample(piiSample, { numRuns: 300, seed: 11 }).map((s) => s.value));
  out.push(...fc.sample(nonPii, { numRuns: 150, seed: 12 }));
  out.push(...fc.sample(luhnInvalidNumber, { numRuns: 30, seed: 13 }));
  out.push(
    ...labelledCorpus()
      .filter((_, i) => i % 7 === 0)
      .map((l) => l.text),
  );
  out.push(...piiFreeCorpus().filter((_, i) => i % 9 === 0));
  return out;
}

/**
 * Key lists of the lead-data maps. Several put a PII field name and a plain key at the same
 * position (`first_name`/`nickname`, `email`/`contact`, `phone`/`ticket`) over the same values.
 */
const SCHEMAS: readonly (readonly string[])[] = [
  ['address', 'budget_eur', 'company', 'email', 'first_name', 'ip', 'last_name', 'phone', 'score', 'tags', 'utm'],
  ['address', 'budget_eur', 'company', 'contact', 'nickname', 'ip', 'label', 'ticket', 'score', 'tags', 'utm'],
  ['note', 'first_name', 'email', 'comment'],
  ['note', 'nickname', 'contact', 'comment'],
  ['email', 'phone', 'iban', 'ssn', 'note', 'utm'],
  ['contact', 'ticket', 'account', 'ref', 'note', 'utm'],
];

/** One record: attributes (maps, arrays and leaves) and a body. */
export interface ReferenceRecord {
  readonly attributes: Record<string, unknown>;
  readonly body: unknown;
}

/**
 * `count` records from `seed`: each value is drawn, most of the time, from a small pool per key
 * position (so values recur where they were met before, as in real traffic), else from all leaves.
 */
export function referenceRecords(count: number, seed: number): ReferenceRecord[] {
  const leaves = referenceLeaves();
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const hot = (position: number): string | number | boolean =>
    leaves[(position * 37 + Math.floor(rnd() * 12) * 101) % leaves.length] as string | number | boolean;
  const value = (position: number): unknown => {
    const r = rnd();
    if (r < 0.65) return hot(position);
    if (r < 0.8) return pick(leaves);
    if (r < 0.9) return [hot(position), pick(leaves), hot(position + 1)];
    return { source: hot(position + 2), campaign: hot(position + 3), deep: { x: hot(position + 4) } };
  };
  const records: ReferenceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const schema = rnd() < 0.7 ? (SCHEMAS[Math.floor(i / 40) % SCHEMAS.length] as readonly string[]) : pick(SCHEMAS);
    const data: Record<string, unknown> = {};
    schema.forEach((key, position) => (data[key] = value(position)));
    const attributes: Record<string, unknown> = {
      'orchestrator.event.type': pick(['lead_ingested', 'lead_routed']),
      'orchestrator.lead.data': data,
      'orchestrator.lead.id': hot(20),
      [rnd() < 0.5 ? 'orchestrator.recipient' : 'orchestrator.target']: hot(21),
      'orchestrator.workflow': hot(22),
    };
    if (rnd() < 0.2) attributes['orchestrator.extra'] = { email: hot(23), note: hot(23) };
    records.push({ attributes, body: rnd() < 0.8 ? hot(24) : value(25) });
  }
  return records;
}
