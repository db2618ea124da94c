/** Interruptible sleeps: the shipper's idle wait and retry back-offs, cut short by new work or a stop. */
export class Wakeable {
  private readonly sleepers = new Set<() => void>();

  /**
   * Sleeps `ms`. Returns early on {@link wake}, unless `ignoreWake` is set, in which case it
   * only returns early once `until()` holds when woken.
   */
  sleep(ms: number, opts: { ignoreWake?: boolean; until?: () => boolean } = {}): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(onWake);
        resolve();
      };
      const onWake = (): void => {
        if (!opts.ignoreWake || opts.until?.() === true) done();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(onWake);
    });
  }

  /** Ends the current sleeps (see {@link sleep}). */
  wake(): void {
    for (const onWake of [...this.sleepers]) onWake();
  }
}
