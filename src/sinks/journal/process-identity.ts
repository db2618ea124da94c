/**
 * Who a process id stands for, beyond the number: on Linux, the kernel's boot id and the process's
 * start time in clock ticks since boot (`/proc/<pid>/stat`, field 22). Together they name one
 * process for the life of the machine: a pid reused by a later process has another start time,
 * and after a reboot the boot id differs. Both come from monotonic kernel counters, so changes of
 * the wall clock (NTP steps, VM resumes) cannot make a live process look like another one.
 * Elsewhere (no `/proc`) nothing is known and callers fall back to what they had.
 */
import { readFileSync } from 'node:fs';

/** A process as the kernel identifies it. */
export interface ProcessIdentity {
  /** `/proc/sys/kernel/random/boot_id`: changes at every boot. */
  readonly bootId: string;
  /** Start time of the process in clock ticks after boot (decimal string). */
  readonly startTicks: string;
}

let cachedBootId: string | undefined | null = null;

/** This machine's boot id, or `undefined` without `/proc`. */
export function currentBootId(): string | undefined {
  if (cachedBootId === null) {
    try {
      const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      cachedBootId = id === '' ? undefined : id;
    } catch {
      cachedBootId = undefined;
    }
  }
  return cachedBootId;
}

/** The identity of the running process `pid`, or `undefined` when it does not run or the platform cannot tell. */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  const bootId = currentBootId();
  if (bootId === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const startTicks = startTicksOf(stat);
  return startTicks === undefined ? undefined : { bootId, startTicks };
}

/**
 * Field 22 (`starttime`) of a `/proc/<pid>/stat` line. The command name (field 2) is in
 * parentheses and may itself hold spaces and `)`, so fields are counted after the last `)`.
 */
export function startTicksOf(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so field 22 is fields[19]
  const ticks = fields[19];
  return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
}
