/**
 * US Social Security numbers: `AAA-GG-SSSS` (or with spaces, or nine digits after an SSN cue)
 * with the Social Security Administration's rules: area 001–899 but not 666, group 01–99,
 * serial 0001–9999.
 */
import type { RunShape } from './phone.js';

/** True when the 9 digits of `text.slice(start, end)` are an SSN written as one (dashed `3-2-4`, or any `3-2-4`/plain form after a cue). */
export function isSsn(text: string, start: number, end: number, shape: RunShape, cue: boolean): boolean {
  if (shape.digits !== 9 || shape.parens || shape.dots) return false;
  const d: number[] = [];
  let dashes = 0;
  let spaces = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) d.push(c - 48);
    else if (c === 45) dashes++;
    else if (c === 32) spaces++;
    else return false;
  }
  const grouped =
    shape.groups === 3 &&
    text.charCodeAt(start + 3) === (dashes > 0 ? 45 : 32) &&
    text.charCodeAt(start + 6) === text.charCodeAt(start + 3);
  if (shape.groups === 3 ? !grouped : shape.groups !== 1) return false;
  if (!cue && !(grouped && dashes === 2 && spaces === 0)) return false;
  const area = (d[0] as number) * 100 + (d[1] as number) * 10 + (d[2] as number);
  const group = (d[3] as number) * 10 + (d[4] as number);
  const serial = (d[5] as number) * 1000 + (d[6] as number) * 100 + (d[7] as number) * 10 + (d[8] as number);
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}
