/** A tiny module whose namespace the tests instrument (`import * as sample`). */

/** Doubles `n`. */
export function double(n: number): number {
  return n * 2;
}

/** Not mapped by the tests: must stay untouched. */
export function triple(n: number): number {
  return n * 3;
}
