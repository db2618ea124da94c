/**
 * What the PII processor remembers per position of the keys of a map (see {@link KeyMemo}): the
 * key, its class, its anonymized form, and the last short string value met under it.
 */

/** Map depths whose keys are remembered by position. */
export const MEMO_DEPTHS = 8;
/** Keys per map remembered by position. */
export const MEMO_KEYS = 64;

/** Longest string value remembered with its anonymized form in a {@link KeyMemo}. */
export const MEMO_VALUE_LENGTH = 256;

/**
 * The keys of the map met last at one depth, and for each whether it names a PII field (or,
 * for the top-level attributes, its class) and its anonymized form; with the last short string
 * value met under it and that value's anonymized form. Records of one kind repeat their key
 * order and many of their values (event type, workflow, source, destination), so a key or value
 * is usually equal to the one remembered at its position, and `===` on it is cheaper than a
 * lookup in the processor's answer caches (field names, key classes, names) or a scan.
 */
export interface KeyMemo {
  readonly keys: string[];
  readonly answers: number[];
  readonly names: string[];
  readonly values: (string | undefined)[];
  readonly cleaned: string[];
}

/** An empty memo. */
export function newMemo(): KeyMemo {
  return { keys: [], answers: [], names: [], values: [], cleaned: [] };
}

/** Remembers the answer and anonymized form of `key` at `position` (the first {@link MEMO_KEYS} positions). */
export function remember(memo: KeyMemo, position: number, key: string, answer: number, name: string): void {
  if (position >= MEMO_KEYS) return;
  memo.keys[position] = key;
  memo.answers[position] = answer;
  memo.names[position] = name;
  memo.values[position] = undefined;
}
