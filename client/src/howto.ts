// The "how to play" card is shown once per mode, on the first visit: this
// remembers which modes the player has seen it for.

import type { Mode } from './rules';
import { readJSON, writeJSON } from './storage';
import { Store } from './store';

export const HOWTO_KEY = 'lightpress.howto';

export interface HowToState {
  /** Modes whose card was dismissed, or played. */
  seen: Partial<Record<Mode, true>>;
  /** The card the player opened again with the help button. */
  open: Mode | null;
}

/** howToUp says whether the card of mode is up: opened again, or not seen yet while no game is on. */
export function howToUp(s: HowToState, mode: Mode, gameOn: boolean): boolean {
  return s.open === mode || (!gameOn && !s.seen[mode]);
}

export class HowTo extends Store<HowToState> {
  constructor() {
    const seen = readJSON<Partial<Record<Mode, true>>>(HOWTO_KEY);
    super({ seen: seen && typeof seen === 'object' ? seen : {}, open: null });
  }

  open(mode: Mode): void {
    this.set({ open: mode });
  }

  /** dismiss closes the card of mode for good. */
  dismiss(mode: Mode): void {
    if (this.state.seen[mode] && this.state.open === null) return;
    const seen = { ...this.state.seen, [mode]: true as const };
    writeJSON(HOWTO_KEY, seen);
    this.set({ seen, open: null });
  }
}
