/** An interruptible sleep: the shipper's idle wait and back-off, cut short by new work or a stop. */
export class Wakeable {
  private wakeUp: (() => void) | undefined;

  /**
   * Sleeps `ms`. Returns early on {@link wake}, unless `ignoreWake` is set, in which case it
   * only returns early once `until()` holds when woken.
   */
  sleep(ms: number, opts: { ignoreWake?: boolean; until?: () => boolean } = {}): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        if (!opts.ignoreWake || opts.until?.() === true) done();
      };
    });
  }

  /** Ends the current sleep (see {@link sleep}). */
  wake(): void {
    this.wakeUp?.();
  }
}
