// Reaction times of a classic game: from the moment a round's button lit to
// the correct press, recomputed from the seed and the presses with the rules
// engine (the server measures the same way).

import { Game, type Press } from '../rules';

export interface ReactionStats {
  /** how many correct presses were timed */
  count: number;
  averageMs: number;
  bestMs: number;
}

/** classicReactions lists the reaction time of each correct press, in order. */
export function classicReactions(seed: number, presses: readonly Press[]): number[] {
  const game = new Game('classic', seed);
  const times: number[] = [];
  for (const p of presses) {
    game.advance(p.t);
    const { roundStart } = game.snapshot();
    if (game.press(p.t, p.button).some((e) => e.type === 'hit')) times.push(p.t - roundStart);
  }
  return times;
}

/** reactionStats is the average (rounded) and the best of times, or null without any. */
export function reactionStats(times: readonly number[]): ReactionStats | null {
  if (!times.length) return null;
  const sum = times.reduce((a, b) => a + b, 0);
  return { count: times.length, averageMs: Math.round(sum / times.length), bestMs: Math.min(...times) };
}
