/**
 * Text shapes that make backtracking PII scanners slow, each built at any length `n`.
 * Shared by the linear-time tests and the benchmark (`npm run bench`).
 */

/** `unit` repeated to exactly `n` characters. */
export function repeated(unit: string, n: number): string {
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

/** A named hostile shape: `build(n)` is a text of about `n` characters. */
export const HOSTILE_SHAPES: readonly (readonly [name: string, build: (n: number) => string])[] = [
  ["'1 ' runs", (n) => repeated('1 ', n)],
  ["'(1) ' runs", (n) => repeated('(1) ', n)],
  ["'@' and a long word", (n) => '@' + 'a'.repeat(n - 1)],
  ["'a@' and 'a-' runs", (n) => 'a@' + repeated('a-', n - 2)],
  ['dots before an @', (n) => '.'.repeat(n - 1) + '@'],
  ["'a.' runs before an @", (n) => repeated('a.', n - 2) + '@-'],
  ['digits with mixed separators', (n) => repeated('1-2.3 4(5)6 7.8-9 ', n)],
  ['phone-like pairs', (n) => repeated('01 23 45 67 89 ', n)],
  ['IBAN-like runs', (n) => repeated('DE89 3704 ', n)],
  ['colons and hex', (n) => repeated('fe80:1:', n)],
  ['fullwidth @ and digits', (n) => repeated('１＠２', n)],
  ['zero-width between digits', (n) => repeated('4\u200b1\u200b', n)],
];
