// Random numbers of the rules (GAME_RULES.md, "Random numbers"): mulberry32 over
// uint32 arithmetic. Math.imul multiplies modulo 2^32 and `>>> 0` brings every
// intermediate back to an unsigned 32-bit value, so this matches the Go service
// bit for bit.

/** Number of buttons on the board, numbered 0..BUTTONS-1. */
export const BUTTONS = 11;

/** Rng is the seeded mulberry32 generator every game draws its buttons from. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** next returns the next uint32 of the stream. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    const s = this.state;
    let t = Math.imul(s ^ (s >>> 15), s | 1) >>> 0;
    t = ((t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t) >>> 0;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /**
   * button draws a button number in 0..10 that differs from `exclude`
   * (null: any button). floor(next * 11 / 2^32) is exact in float64: the
   * product stays below 2^36 and dividing by a power of two loses nothing.
   */
  button(exclude: number | null = null): number {
    for (;;) {
      const b = Math.floor((this.next() * BUTTONS) / 4294967296);
      if (b !== exclude) return b;
    }
  }
}
