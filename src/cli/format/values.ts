/** Formatting of single values in readable (non-JSON) output. */

export { formatSeconds } from '../../events/duration-text.js';

/** An ISO time shortened for tables: `2026-02-04 15:30:45`. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
    .replace(/Z$/, '');
}

/** Cuts `text` to `max` characters (with `…`), on one line. */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
