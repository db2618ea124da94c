/**
 * The number detectors (IPv4, card, US SSN, phone) over runs of digit groups: one pass finds each
 * run (digit groups joined by up to three separator characters: space, `-`, `.`, `/`, `(`, `)`;
 * optionally led by `+`, `(` or `(+`), then tries candidates inside it. A candidate starts at the
 * run start or after a space, and spans at most 19 digits in at most 24 groups; its figures
 * (digits, groups, group sizes, separators) are added up while it is extended, so each start costs
 * a bounded amount of work and the scan is linear in the text whatever its shape (`1 1 1 …`,
 * `(1) (1) …`, digits with mixed separators). The longest candidate with a kind wins.
 */
import { isCardNumber } from './card.js';
import type { MatchSet } from './match-set.js';
import { extensionEnd, internationalPossible, isNationalPhone, ssnCueBefore, type RunShape } from './phone.js';
import { dateLike, dottedQuadEnd, gluedAfter, gluedBefore, isDigit } from './run-checks.js';
import { isSsn } from './ssn.js';

/** Most digits in a candidate (a 19-digit card; phones have at most 15). */
const MAX_DIGITS = 19;
/** Most groups in a candidate. */
const MAX_GROUPS = 24;
/** Most separator characters between two groups of one run. */
const MAX_SEPARATOR = 3;

/** Group starts and ends of the run being read (scratch space of the scan, reused). */
const GROUP_STARTS: number[] = [];
const GROUP_ENDS: number[] = [];

/** Which number detectors run. */
export interface NumberSwitches {
  readonly ipv4: boolean;
  readonly card: boolean;
  readonly phone: boolean;
  readonly ssn: boolean;
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41;
}

/** Adds the IPv4 addresses, cards, SSNs and phone numbers of `text` (from `from` on) to `found`. */
export function scanDigitRuns(text: string, from: number, found: MatchSet, on: NumberSwitches): void {
  const n = text.length;
  const gs = GROUP_STARTS;
  const ge = GROUP_ENDS;
  let i = from;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // one run: its groups [gs[k], ge[k])
    let count = 0;
    let p = i;
    let runDigits = 0;
    for (;;) {
      const g = p;
      while (p < n && isDigit(text.charCodeAt(p))) p++;
      runDigits += p - g;
      gs[count] = g;
      ge[count] = p;
      count++;
      let q = p;
      while (q < n && q - p < MAX_SEPARATOR && isSeparator(text.charCodeAt(q))) q++;
      if (q === p || q >= n || !isDigit(text.charCodeAt(q))) break;
      p = q;
    }
    i = ge[count - 1] as number;
    // a last group glued to a word after a space (`415-555-0100 0B`) is no part of the number
    if (count > 1 && gluedAfter(text, i) && hasSpace(text, ge[count - 2] as number, gs[count - 1] as number)) {
      runDigits -= i - (gs[count - 1] as number);
      count--;
    }
    // nothing has fewer than 7 digits but a dotted quad (4 groups)
    if (runDigits < 4 || (runDigits < 7 && count < 4)) continue;
    let runStart = gs[0] as number;
    if (text.charCodeAt(runStart - 1) === 43) runStart--;
    if (text.charCodeAt(runStart - 1) === 40) runStart--;
    scanRun(text, runStart, gs, ge, count, found, on);
  }
}

function scanRun(
  text: string,
  runStart: number,
  gs: number[],
  ge: number[],
  count: number,
  found: MatchSet,
  on: NumberSwitches,
): void {
  if (on.ipv4 && count >= 4) scanIpv4(text, gs, ge, count, found);
  if (!on.card && !on.phone && !on.ssn) return;
  let g = 0;
  while (g < count) {
    let start: number;
    if (g === 0) {
      start = runStart;
      if (gluedBefore(text, start)) {
        g++;
        continue;
      }
    } else {
      const gStart = gs[g] as number;
      const sepStart = ge[g - 1] as number;
      if (!hasSpace(text, sepStart, gStart)) {
        g++;
        continue;
      }
      start = text.charCodeAt(gStart - 1) === 40 ? gStart - 1 : gStart;
    }
    if (found.overlaps(start, start + 1)) {
      g++;
      continue;
    }
    // grow the candidate group by group, noting each place it may end with a chance of a kind:
    // the end of the run, or before a space where a card or an international number may end
    const plus = text.charCodeAt(start) === 43 || text.charCodeAt(start + 1) === 43;
    let ends = 0;
    let digits = 0;
    let groups = 0;
    let minGroup = 99;
    let maxGroup = 0;
    let flags = 0;
    for (let h = g; h < count && h - g < MAX_GROUPS; h++) {
      const size = (ge[h] as number) - (gs[h] as number);
      if (digits + size > MAX_DIGITS) break;
      if (h > g) flags |= separatorFlags(text, ge[h - 1] as number, gs[h] as number);
      digits += size;
      groups++;
      const innerMin = minGroup;
      if (size < minGroup) minGroup = size;
      if (size > maxGroup) maxGroup = size;
      const atRunEnd = h === count - 1;
      if (
        atRunEnd ||
        (text.charCodeAt(ge[h] as number) === 32 &&
          (plus ? digits >= 7 : digits >= 12 && (groups === 1 || innerMin >= 3) && (flags & (PARENS | DOTS)) === 0))
      ) {
        END_GROUP[ends] = h;
        END_DIGITS[ends] = digits;
        END_GROUPS[ends] = groups;
        END_MIN[ends] = minGroup;
        END_INNER_MIN[ends] = innerMin;
        END_MAX[ends] = maxGroup;
        END_FLAGS[ends] = flags;
        ends++;
      }
    }
    let hit = -1;
    for (let k = ends - 1; k >= 0 && hit < 0; k--) {
      const h = END_GROUP[k] as number;
      const end = ge[h] as number;
      const atRunEnd = h === count - 1;
      const wholeRun = atRunEnd && g === 0;
      let ext = -2; // -2: not looked for yet
      if (gluedAfter(text, end)) {
        // only an extension may follow a number directly (`3354x6280`)
        if (!atRunEnd || (ext = extensionEnd(text, end)) < 0) continue;
      }
      const f = END_FLAGS[k] as number;
      const shape = SHAPE;
      shape.digits = END_DIGITS[k] as number;
      shape.groups = END_GROUPS[k] as number;
      shape.minGroup = END_MIN[k] as number;
      shape.maxGroup = END_MAX[k] as number;
      shape.parens = (f & PARENS) !== 0;
      shape.dots = (f & DOTS) !== 0;
      shape.spaceOrDash = (f & SPACE_OR_DASH) !== 0;
      // the last groups of a run after a space are read as a run of their own when they are
      // grouped otherwise (`order 12345 415-555-0100`), not when they continue a grouping by spaces
      // (`4111 1111 1111 1112`)
      const ownRun = wholeRun || (atRunEnd && g > 0 && (f & (PARENS | DOTS | DASH_OR_SLASH)) !== 0);
      const kind = classify(text, start, end, shape, END_INNER_MIN[k] as number, g === 0, wholeRun, ownRun, on, found);
      if (kind === undefined) continue;
      if (kind === 'phone' && atRunEnd && ext === -2) ext = extensionEnd(text, end);
      const stop = kind === 'phone' && ext > 0 ? ext : end;
      if (found.add(start, stop, kind)) hit = h;
    }
    g = hit >= 0 ? hit + 1 : g + 1;
  }
}

/** True when `text.slice(from, to)` (a separator, at most a few characters) holds a space. */
function hasSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 32) return true;
  return false;
}

const PARENS = 1;
const DOTS = 2;
const SPACE_OR_DASH = 4;
const DASH_OR_SLASH = 8;

/** The figures of the candidate being classified (scratch space of the scan, reused: no object per candidate). */
const SHAPE: { -readonly [K in keyof RunShape]: RunShape[K] } = {
  digits: 0,
  groups: 0,
  minGroup: 0,
  maxGroup: 0,
  parens: false,
  dots: false,
  spaceOrDash: false,
};

/** Where each candidate may end, and its figures there (scratch space of the scan, reused). */
const END_GROUP = new Int32Array(MAX_GROUPS);
const END_DIGITS = new Int32Array(MAX_GROUPS);
const END_GROUPS = new Int32Array(MAX_GROUPS);
const END_MIN = new Int32Array(MAX_GROUPS);
const END_MAX = new Int32Array(MAX_GROUPS);
/** Smallest group but the last one (a card's last group may be short: `4111 1111 1111 1`). */
const END_INNER_MIN = new Int32Array(MAX_GROUPS);
const END_FLAGS = new Int32Array(MAX_GROUPS);

/** What lies between two groups (`[from, to)`, separators only): {@link PARENS}, {@link DOTS}, {@link SPACE_OR_DASH}, {@link DASH_OR_SLASH}. */
function separatorFlags(text: string, from: number, to: number): number {
  let flags = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 41) flags |= PARENS;
    else if (c === 46) flags |= DOTS;
    else if (c === 32) flags |= SPACE_OR_DASH;
    else if (c === 45) flags |= SPACE_OR_DASH | DASH_OR_SLASH;
    else if (c === 47) flags |= DASH_OR_SLASH;
  }
  return flags;
}

/**
 * The kind of the candidate `text.slice(start, end)`, or `undefined`. `wholeRun`: it spans its
 * whole run; `ownRun`: that, or it is the tail of its run after a space.
 */
function classify(
  text: string,
  start: number,
  end: number,
  shape: RunShape,
  innerMin: number,
  runStart: boolean,
  wholeRun: boolean,
  ownRun: boolean,
  on: NumberSwitches,
  budget: MatchSet,
): 'card' | 'ssn' | 'phone' | undefined {
  const c0 = text.charCodeAt(start);
  const plus = c0 === 43 || (c0 === 40 && text.charCodeAt(start + 1) === 43);
  const leadingParen = c0 === 40;
  const { digits, groups } = shape;
  if (
    on.card &&
    !plus &&
    !shape.parens &&
    (!leadingParen || groups === 1) && // `(6011000990139424)`: one group in parentheses
    !shape.dots &&
    (groups === 1 || (innerMin >= 3 && groups <= 5)) &&
    (wholeRun || (runStart ? digits >= 13 : digits >= 15)) &&
    isCardNumber(text, start, end, digits)
  ) {
    return 'card';
  }
  if (plus) {
    if (!on.phone || digits < 7 || digits > 17) return undefined;
    return internationalPossible(text, start, end) ? 'phone' : undefined;
  }
  // a national number, an SSN or a `00` international number only as a whole run, or as the
  // groups that end a run after a space
  if (!ownRun) return undefined;
  if (on.ssn && digits === 9 && isSsn(text, start, end, shape, ssnCueBefore(text, start))) return 'ssn';
  if (!on.phone || digits < 7 || digits > 15) return undefined;
  if (
    c0 === 48 &&
    text.charCodeAt(start + 1) === 48 &&
    groups >= 2 &&
    digits >= 9 &&
    internationalPossible(text, start + 2, end)
  ) {
    return 'phone';
  }
  if (dateLike(text, start, end)) return undefined;
  return isNationalPhone(text, start, end, shape, budget) ? 'phone' : undefined;
}

/** Adds the dotted quads (octets ≤ 255) of one run, read at group starts. */
function scanIpv4(text: string, gs: number[], ge: number[], count: number, found: MatchSet): void {
  for (let k = 0; k + 3 < count; k++) {
    const p = gs[k] as number;
    if (k > 0 && text.charCodeAt(p - 1) === 46 && (ge[k - 1] as number) === p - 1) continue; // inside a longer dotted run
    const end = dottedQuadEnd(text, p, ge[k + 3] as number);
    if (end < 0 || end !== ge[k + 3]) continue;
    if (text.charCodeAt(end) === 46 && isDigit(text.charCodeAt(end + 1))) continue; // `1.2.3.4.5`
    if (found.add(p, end, 'ipv4')) k += 3;
  }
}
