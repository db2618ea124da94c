/**
 * Parsing of the time options of read commands: `--last 24h|7d|30m|45s|2w`, `--since ISO`,
 * `--until ISO`. Bad values are usage errors (exit 3).
 */
import { CliError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** A half-open time range [start, end); either bound may be open. */
export interface TimeRange {
  readonly startTime?: Date;
  readonly endTime?: Date;
}

/** Milliseconds of a duration such as `24h`, `7d`, `30m`, `45s`, `2w`, `1.5h`. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (!m) {
    throw new CliError(`invalid duration "${text}": expected a number and a unit s, m, h, d or w (e.g. 30m, 24h, 7d)`);
  }
  const ms = Number(m[1]) * (UNIT_MS[(m[2] as string).toLowerCase()] as number);
  if (!(ms > 0) || !Number.isFinite(ms)) throw new CliError(`invalid duration "${text}": must be greater than zero`);
  return ms;
}

/** Parses an ISO-8601 date or date-time (a date alone means midnight UTC). */
export function parseInstant(text: string, option: string): Date {
  const trimmed = text.trim();
  const ok = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(trimmed);
  const date = new Date(trimmed);
  if (!ok || Number.isNaN(date.getTime()) || !isCalendarDay(trimmed.slice(0, 10))) {
    throw new CliError(
      `invalid ${option} "${text}": expected an ISO-8601 date or time, e.g. 2026-02-04 or 2026-02-04T15:30:00Z`,
    );
  }
  return date;
}

/** Whether `YYYY-MM-DD` names a real day (`Date` silently rolls 2026-02-30 over to March 2). */
function isCalendarDay(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The options that select a time range. */
export interface TimeOptions {
  readonly last?: string;
  readonly since?: string;
  readonly until?: string;
}

/** Resolves `--last`, `--since`, `--until` against `now`. `--last` cannot be combined with `--since`. */
export function timeRangeOf(options: TimeOptions, now: Date): TimeRange {
  if (options.last !== undefined && options.since !== undefined) {
    throw new CliError('--last and --since cannot be used together');
  }
  const endTime = options.until !== undefined ? parseInstant(options.until, '--until') : undefined;
  let startTime: Date | undefined;
  if (options.last !== undefined) startTime = new Date((endTime ?? now).getTime() - parseDuration(options.last));
  if (options.since !== undefined) startTime = parseInstant(options.since, '--since');
  if (startTime && endTime && startTime.getTime() >= endTime.getTime()) {
    throw new CliError('the time range is empty: the start must be before --until');
  }
  return { ...(startTime ? { startTime } : {}), ...(endTime ? { endTime } : {}) };
}

/** Parses a positive integer option such as `--limit`. */
export function parsePositiveInt(text: string, option: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    throw new CliError(`invalid ${option} "${text}": expected a positive integer`);
  }
  return Number(text);
}
