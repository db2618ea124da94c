/** Durations as people read them, shared by record messages, audit-cli tables and reports. */

/**
 * Seconds as a short human duration without floating-point noise: `850µs`, `12.3ms`, `1.234s`,
 * `2m05s`; `-` for a value that is not a finite number.
 */
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
