// The clock the game UI runs on. Injected everywhere time matters, so tests
// can drive time by hand (see fakeClock in the tests).

export interface Clock {
  /** now is a monotonic time in ms (performance.now in browsers). */
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export const browserClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (id) => window.clearTimeout(id),
};

/**
 * Timers is a set of timeouts that can all be cancelled at once: whoever owns
 * one clears it on reset or unmount, so no callback outlives its game.
 */
export class Timers {
  private readonly ids = new Set<number>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  after(ms: number, fn: () => void): number {
    const id = this.clock.setTimeout(() => {
      this.ids.delete(id);
      fn();
    }, ms);
    this.ids.add(id);
    return id;
  }

  cancel(id: number | null): void {
    if (id === null) return;
    this.clock.clearTimeout(id);
    this.ids.delete(id);
  }

  clear(): void {
    for (const id of this.ids) this.clock.clearTimeout(id);
    this.ids.clear();
  }

  get size(): number {
    return this.ids.size;
  }
}
