/**
 * Watches the audit worker's sign of life (the ring's `beat` word, advanced by the worker several
 * times a second while it answers a request) while the app thread waits for an answer, and says
 * when the worker has shown none for the bound: it is hung (a busy loop, a blocked call).
 */
import { RING_WORD } from './ring.js';

/** How often the worker advances its beat while it answers a request (ms). */
export const BEAT_INTERVAL_MS = 100;

/** Watches one worker's beat; `onHung` runs once per watch when it stood still for `timeoutMs`. */
export class WorkerWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private lastBeat = 0;
  private lastChange = 0;

  constructor(
    private readonly words: Int32Array,
    private readonly timeoutMs: number,
    private readonly onHung: () => void,
  ) {}

  /** The worker's beat now. */
  beat(): number {
    return Atomics.load(this.words, RING_WORD.beat);
  }

  /** Starts watching (no-op while watching already). */
  start(): void {
    if (this.timer !== undefined) return;
    this.lastBeat = this.beat();
    this.lastChange = Date.now();
    this.timer = setInterval(() => this.check(), Math.max(10, Math.min(250, this.timeoutMs / 5)));
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const now = Date.now();
    const beat = this.beat();
    if (beat !== this.lastBeat) {
      this.lastBeat = beat;
      this.lastChange = now;
    } else if (now - this.lastChange >= this.timeoutMs) {
      this.stop();
      this.onHung();
    }
  }
}
