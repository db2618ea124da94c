/**
 * The matches of one scan: added in priority order (a match overlapping one already there is
 * dropped), checked for overlap in time proportional to the match's own length, whatever how many
 * matches there are (a per-character mark, made at the first match).
 */
import type { PiiDetectorKind, PiiMatch } from './types.js';

/** Up to this many matches, overlap is checked against each of them (no mark array). */
const FEW = 8;

/** Matches found in a text of `length` characters. */
export class MatchSet {
  private matches: PiiMatch[] | undefined;
  private covered: Uint8Array | undefined;
  /** Full phone-number validations this scan may still make: a few, and one more per 64 characters. */
  phoneBudget: number;

  length: number;

  constructor(length: number) {
    this.length = length;
    this.phoneBudget = 4 + (length >> 6);
  }

  /** Empties the set for a text of `length` characters (the set is reused from scan to scan). */
  reset(length: number): this {
    this.length = length;
    this.phoneBudget = 4 + (length >> 6);
    this.matches = undefined;
    this.covered = undefined;
    return this;
  }

  /** True when any of `[start, end)` is already part of a match. */
  overlaps(start: number, end: number): boolean {
    const matches = this.matches;
    if (matches === undefined) return false;
    const covered = this.covered;
    if (covered === undefined) {
      for (const m of matches) if (start < m.end && end > m.start) return true;
      return false;
    }
    for (let i = start; i < end; i++) if (covered[i] === 1) return true;
    return false;
  }

  /** Adds `[start, end)` unless it overlaps a match already there; true when added. */
  add(start: number, end: number, kind: PiiDetectorKind): boolean {
    if (end <= start || this.overlaps(start, end)) return false;
    const matches = (this.matches ??= []);
    matches.push({ start, end, kind });
    if (this.covered !== undefined) {
      this.covered.fill(1, start, end);
    } else if (matches.length > FEW) {
      const covered = (this.covered = new Uint8Array(this.length));
      for (const m of matches) covered.fill(1, m.start, m.end);
    }
    return true;
  }

  /** The matches sorted by position, or `undefined` when there are none. */
  sorted(): PiiMatch[] | undefined {
    const m = this.matches;
    if (m === undefined) return undefined;
    if (m.length > 1) m.sort((a, b) => a.start - b.start);
    return m;
  }
}
