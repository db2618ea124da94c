/**
 * The text the detectors scan: compatibility forms folded (NFKC per character: fullwidth `＠` and
 * digits, no-break and thin spaces, superscripts), invisible characters dropped (zero-width space
 * and joiners, word joiner, byte-order mark, soft hyphen), with a map from each scanned character
 * back to the original text, so that a value found in the folded text is replaced where it really
 * is. ASCII text is scanned as it is (no copy, no map).
 */

/** The folded text and where each of its characters came from. */
export interface FoldedText {
  /** What the detectors scan. */
  readonly text: string;
  /** Per character of `text`, the index in the original where its source character starts. */
  readonly from: readonly number[];
  /** Per character of `text`, the index in the original just after its source character. */
  readonly to: readonly number[];
}

/** Folded forms of single code points, remembered (bounded). */
const cache = new Map<number, string>();
const CACHE_LIMIT = 4096;

/** True for characters that render as nothing and can split a value unseen. */
export function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    cp === 0xfeff ||
    cp === 0x00ad ||
    cp === 0x180e ||
    cp === 0x034f
  );
}

/** Code points whose NFKC form can differ from themselves in a way that matters to the detectors. */
function mayFold(cp: number): boolean {
  return (
    cp < 0x2500 || (cp >= 0x3000 && cp <= 0x3002) || (cp >= 0xfe10 && cp <= 0xffef) || (cp >= 0x1d400 && cp <= 0x1d7ff)
  );
}

function fold(cp: number, ch: string): string {
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0); // fullwidth ASCII
  if (!mayFold(cp)) return ch;
  let folded = cache.get(cp);
  if (folded === undefined) {
    folded = ch.normalize('NFKC');
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cp, folded);
  }
  return folded;
}

/**
 * Per UTF-16 code unit outside ASCII: 0 not looked at yet, 1 scanned as it is (visible, its NFKC
 * form is itself: `é`, `ü`, `ß`, Cyrillic, CJK), 2 folded or dropped (or half of a surrogate pair).
 */
const AS_IS = new Uint8Array(0x10000);

/**
 * True when the code unit `c` (outside ASCII) stays as it is in the folded text: a text whose
 * characters all do is scanned without folding (the folded text would be the text itself).
 */
export function scannedAsIs(c: number): boolean {
  let known = AS_IS[c] as number;
  if (known === 0) {
    const ch = String.fromCharCode(c);
    known = (c >= 0xd800 && c <= 0xdfff) || isInvisible(c) || fold(c, ch) !== ch ? 2 : 1;
    AS_IS[c] = known;
  }
  return known === 1;
}

/** Index of the first character of `text` that folding changes or drops, or -1. */
export function firstFolded(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 && !scannedAsIs(c)) return i;
  }
  return -1;
}

/**
 * `undefined` when `text` is scanned as it is (no character outside ASCII), else the folded text
 * with its map. Linear in the length of `text`.
 */
export function foldForScan(text: string): FoldedText | undefined {
  const n = text.length;
  let i = 0;
  while (i < n && text.charCodeAt(i) < 128) i++;
  if (i === n) return undefined;
  let out = text.slice(0, i);
  const from: number[] = [];
  const to: number[] = [];
  for (let j = 0; j < i; j++) {
    from.push(j);
    to.push(j + 1);
  }
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      out += text[i] as string;
      from.push(i);
      to.push(i + 1);
      i++;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (!isInvisible(cp)) {
      const folded = fold(cp, text.slice(i, i + width));
      out += folded;
      for (let f = 0; f < folded.length; f++) {
        from.push(i);
        to.push(i + width);
      }
    }
    i += width;
  }
  return { text: out, from, to };
}
