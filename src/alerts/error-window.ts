/**
 * Sliding-window error counting with a cooldown. Pure bookkeeping with an injected clock: `add`
 * says whether this error makes the alert fire. Memory is bounded: at most
 * `max(threshold, MAX_TRACKED)` errors are kept; beyond that the oldest are forgotten (the count
 * then reads as "at least").
 */
import { buildAlert, type Alert, type AlertError } from './alert.js';
import type { AlertThresholds } from './alert-config.js';

/** Errors kept in memory at most (besides the threshold). */
export const MAX_TRACKED_ERRORS = 10_000;
const RECENT = 5;

interface Entry {
  readonly at: number;
  readonly error: AlertError;
}

/** Counts errors in a sliding window and decides when an alert fires. */
export class ErrorWindow {
  private entries: Entry[] = [];
  private head = 0;
  private cooldownUntil = -Infinity;
  private suppressed = 0;

  constructor(private thresholds: AlertThresholds) {}

  /** Replaces the thresholds (keeps the errors seen so far and the running cooldown). */
  reconfigure(thresholds: AlertThresholds): void {
    this.thresholds = thresholds;
  }

  /** Errors currently inside the window at time `now` (ms). */
  count(now: number): number {
    this.expire(now);
    return this.entries.length - this.head;
  }

  /** True while alerts are suppressed after the last one. */
  inCooldown(now: number): boolean {
    return now < this.cooldownUntil;
  }

  /** Records one error at `now` (ms); returns the alert to send when this error fires one. */
  add(now: number, error: AlertError): Alert | undefined {
    this.expire(now);
    this.entries.push({ at: now, error });
    const cap = Math.max(this.thresholds.errorThreshold, MAX_TRACKED_ERRORS);
    if (this.entries.length - this.head > cap) this.head++;
    this.compact();
    const count = this.entries.length - this.head;
    if (this.inCooldown(now)) {
      // every error during the cooldown is reported in the next alert, also those arriving
      // while the window holds fewer than `errorThreshold`
      this.suppressed++;
      return undefined;
    }
    if (count < this.thresholds.errorThreshold) return undefined;
    const alert = this.describe(now, count);
    this.cooldownUntil = now + this.thresholds.cooldownSeconds * 1000;
    this.suppressed = 0;
    return alert;
  }

  private describe(now: number, count: number): Alert {
    const workflowCounts = new Map<string, number>();
    const typeCounts = new Map<string, number>();
    for (let i = this.head; i < this.entries.length; i++) {
      const { error } = this.entries[i]!;
      if (error.workflow !== undefined)
        workflowCounts.set(error.workflow, (workflowCounts.get(error.workflow) ?? 0) + 1);
      typeCounts.set(error.errorType, (typeCounts.get(error.errorType) ?? 0) + 1);
    }
    return buildAlert({
      errorCount: count,
      threshold: this.thresholds.errorThreshold,
      windowSeconds: this.thresholds.windowSeconds,
      cooldownSeconds: this.thresholds.cooldownSeconds,
      workflowCounts,
      typeCounts,
      recentErrors: this.entries.slice(Math.max(this.head, this.entries.length - RECENT)).map((e) => e.error),
      suppressedSinceLastAlert: this.suppressed,
      firedAt: now,
    });
  }

  private expire(now: number): void {
    const oldest = now - this.thresholds.windowSeconds * 1000;
    while (this.head < this.entries.length && this.entries[this.head]!.at <= oldest) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
