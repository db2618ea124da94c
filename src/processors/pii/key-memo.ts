/**
 * What the PII processor remembers per position of the keys of a map (see {@link KeyMemo}): the
 * key, its class, its anonymized form, and a few string values met under it with their
 * anonymized forms.
 */

/** Map depths whose keys are remembered by position. */
export const MEMO_DEPTHS = 8;
/** Keys per map remembered by position. */
export const MEMO_KEYS = 64;

/** Longest string value remembered with its anonymized form in a {@link KeyMemo}. */
export const MEMO_VALUE_LENGTH = 256;

/** Values remembered per key position (a power of two). */
export const MEMO_SLOTS = 8;

/** Longest value placed in any slot of its position; longer ones (up to {@link MEMO_VALUE_LENGTH}) share the first. */
const SHORT_VALUE = 64;

/**
 * The keys of the map met last at one depth, and for each whether it names a PII field (or,
 * for the top-level attributes, its class) and its anonymized form; with up to
 * {@link MEMO_SLOTS} short string values met under it and their anonymized forms. Records of one
 * kind repeat their key order and many of their values (event type, workflow, source, first
 * names, companies, campaign), so a key or value is usually equal to one remembered at its
 * position, and `===` on it is cheaper than a lookup in the processor's answer caches (field
 * names, key classes, names) or a scan.
 */
export interface KeyMemo {
  readonly keys: string[];
  readonly answers: number[];
  readonly names: string[];
  /** Per position, {@link MEMO_SLOTS} values (see {@link slotOf}). */
  readonly values: (string | undefined)[];
  /** The anonymized form of each value in {@link values}. */
  readonly cleaned: string[];
}

/** An empty memo. */
export function newMemo(): KeyMemo {
  // (the value tables are filled from the start: written at any slot, they stay dense arrays)
  const size = MEMO_KEYS * MEMO_SLOTS;
  return {
    keys: [],
    answers: [],
    names: [],
    values: new Array<string | undefined>(size).fill(undefined),
    cleaned: new Array<string>(size).fill(''),
  };
}

/**
 * The index in {@link KeyMemo.values} where `text`, a value under the key at `position` (below
 * {@link MEMO_KEYS}), is remembered: one of the position's slots, picked by its length and end
 * characters (the first slot for long values, which bounds what the memo holds).
 */
export function slotOf(position: number, text: string): number {
  const n = text.length;
  const slot =
    n === 0 || n > SHORT_VALUE ? 0 : (n + 3 * text.charCodeAt(0) + 5 * text.charCodeAt(n - 1)) & (MEMO_SLOTS - 1);
  return position * MEMO_SLOTS + slot;
}

/** Remembers the answer and anonymized form of `key` at `position` (the first {@link MEMO_KEYS} positions). */
export function remember(memo: KeyMemo, position: number, key: string, answer: number, name: string): void {
  if (position >= MEMO_KEYS) return;
  memo.keys[position] = key;
  memo.answers[position] = answer;
  memo.names[position] = name;
  // the values met under the key that was there are forgotten (they may be anonymized otherwise under this one)
  memo.values.fill(undefined, position * MEMO_SLOTS, (position + 1) * MEMO_SLOTS);
}
