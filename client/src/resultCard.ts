// What the result card shows about the last game, from the controller's
// result view, the rank watch and the game's reaction times. Pure, so each
// case (practice, sending, accepted with or without a rank yet, refused) is
// tested without rendering.

import type { ResultView } from './game/controller';
import type { ReactionStats } from './game/reaction';
import type { BoardRank, RankState } from './rankWatch';

export type PersonalBest = { status: 'new' } | { status: 'old'; score: number };

export interface ResultCardData {
  practice: boolean;
  /** The server's score once it accepted the game; the browser's count until then. */
  score: number;
  confirmed: boolean;
  level: number;
  /** Ranks on today's and the all-time board; null when the game is on no board (practice, refused, not sent yet). */
  day: BoardRank | null;
  all: BoardRank | null;
  /** Whether this game is the player's best; null until the all-time board says. */
  best: PersonalBest | null;
  reaction: ReactionStats | null;
  /** A score worth sharing: accepted by the server, or a practice game. */
  shareable: boolean;
}

export function resultCardData(result: ResultView, ranks: RankState, reaction: ReactionStats | null, localLevel: number): ResultCardData {
  const accepted = result.status === 'accepted';
  const gameId = accepted ? result.gameId : null;
  const watched = gameId !== null && ranks.gameId === gameId;
  const all = watched ? ranks.all : null;
  let best: PersonalBest | null = null;
  if (all?.status === 'ranked') best = all.gameId === gameId ? { status: 'new' } : { status: 'old', score: all.score };
  return {
    practice: result.status === 'practice',
    score: accepted ? result.server.score : result.localScore,
    confirmed: accepted,
    level: accepted ? result.server.level : localLevel,
    day: watched ? ranks.day : null,
    all,
    best,
    reaction,
    shareable: accepted || result.status === 'practice',
  };
}
