// LateResults are the answers to results the page no longer shows: a
// result left pending (offline, or from an earlier visit) that the server
// then refused, or one of a game the player has since left with Reiniciar.
// A refusal is never dropped silently: it stays on screen until dismissed.

import type { Mode } from './api';
import { Store } from './store';

export interface RefusedResult {
  gameId: string;
  mode: Mode;
  /** The score the browser counted. */
  localScore: number;
  /** The server's reason: a code of the games service (reasons.ts) or a problem's detail. */
  reason: string;
}

export class LateResults extends Store<{ refused: RefusedResult[] }> {
  constructor() {
    super({ refused: [] });
  }

  refused(r: RefusedResult): void {
    this.set({ refused: [...this.state.refused.filter((x) => x.gameId !== r.gameId), r] });
  }

  dismiss(gameId: string): void {
    this.set({ refused: this.state.refused.filter((x) => x.gameId !== gameId) });
  }
}
