/** Formatting of single values in readable (non-JSON) output. */

/** Seconds as a short human duration: `850µs`, `12.3ms`, `1.234s`, `2m05s`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const abs = Math.abs(seconds);
  if (abs < 0.001) return `${(seconds * 1e6).toFixed(0)}µs`;
  if (abs < 1) return `${(seconds * 1000).toFixed(1)}ms`;
  if (abs < 120) return `${seconds.toFixed(3)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

/** An ISO time shortened for tables: `2026-02-04 15:30:45`. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, '').replace(/Z$/, '');
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
