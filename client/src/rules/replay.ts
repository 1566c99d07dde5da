// replay recomputes a whole game from its seed, presses and end time, as the
// games service does before it accepts a score (GAME_RULES.md, "What the server
// checks"). The browser uses it in tests, and to know what the server will say.

import { Game, MAX_FAST_PRESSES, type Mode } from './engine';
import { BUTTONS } from './rng';

/** Press is one press as sent to the server: t in whole ms since the start. */
export interface Press {
  t: number;
  button: number;
}

export type Verdict = 'accepted' | 'rejected';

export interface ReplayResult {
  score: number;
  level: number;
  lives: number;
  maxCombo: number;
  rounds: number;
  fastPresses: number;
  endedAt: number;
  verdict: Verdict;
  /** Why the game is rejected; absent when accepted. */
  reason?: string;
}

/** The most presses one result may carry. */
export const MAX_PRESSES = 20000;

/** checkPresses returns why a submission is malformed, or null when it is well formed. */
export function checkPresses(presses: readonly Press[], endedAt: number): string | null {
  if (!Number.isInteger(endedAt) || endedAt < 0) return 'endedAt must be a whole number of ms >= 0';
  if (presses.length > MAX_PRESSES) return `more than ${MAX_PRESSES} presses`;
  let last = 0;
  for (const [i, p] of presses.entries()) {
    if (!Number.isInteger(p.t) || p.t < 0 || p.t > endedAt) return `press ${i}: t must be a whole number in 0..endedAt`;
    if (p.t < last) return `press ${i}: presses are not sorted by t`;
    if (!Number.isInteger(p.button) || p.button < 0 || p.button >= BUTTONS) return `press ${i}: button must be 0..${BUTTONS - 1}`;
    last = p.t;
  }
  return null;
}

/** replay plays a game of `mode` with `seed` through `presses` and ends it at endedAt (or earlier, where the lives ran out). */
export function replay(mode: Mode, seed: number, presses: readonly Press[], endedAt: number): ReplayResult {
  const malformed = checkPresses(presses, endedAt);
  if (malformed !== null) {
    return { score: 0, level: 1, lives: 0, maxCombo: 0, rounds: 0, fastPresses: 0, endedAt, verdict: 'rejected', reason: malformed };
  }
  const game = new Game(mode, seed);
  for (const p of presses) {
    if (game.over) break;
    game.press(p.t, p.button);
  }
  game.finish(endedAt);
  return resultOf(game);
}

/** resultOf is the result of a finished game, with the verdict on its reaction times. */
export function resultOf(game: Game): ReplayResult {
  const s = game.snapshot();
  const result: ReplayResult = {
    score: s.score,
    level: s.level,
    lives: s.lives,
    maxCombo: s.maxCombo,
    rounds: s.rounds,
    fastPresses: s.fastPresses,
    endedAt: s.endedAt ?? s.now,
    verdict: 'accepted',
  };
  if (s.fastPresses > MAX_FAST_PRESSES) {
    result.verdict = 'rejected';
    result.reason = `${s.fastPresses} presses were faster than a human can react`;
  }
  return result;
}
