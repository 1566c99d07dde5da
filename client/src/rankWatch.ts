// RankWatch finds where the last game put the player on today's and the
// all-time board (and, for a daily challenge game, on the challenge's). Boards follow results through events (eventually
// consistent), so after an accepted game it polls the player's standing a
// few times until each board shows this game or a score at least as good
// (then the board is settled: this game will not change it).

import { ApiError, api, type Mode, type Period, type PlayerRank } from './api';
import { Timers, type Clock } from './game/clock';
import { Store } from './store';

/** Delays between the polls after a game, in ms (about 20 s in all). */
export const RANK_POLL_DELAYS = [600, 1000, 1500, 2000, 3000, 5000, 8000];

export type BoardRank =
  | { status: 'waiting' }
  /** gameId is the game the player's entry comes from: this one, or an earlier, better one. */
  | { status: 'ranked'; rank: number; score: number; gameId: string }
  /** the board did not show the game in time (or cannot be read): see the leaderboard later. */
  | { status: 'unknown' };

export interface RankState {
  /** The game watched, or null. */
  gameId: string | null;
  day: BoardRank;
  all: BoardRank;
  /** challenge is today's daily challenge board, watched for a challenge game only (absent otherwise). */
  challenge?: BoardRank;
}

export type RankBoard = 'day' | 'all' | 'challenge';

export interface RankWatchDeps {
  clock: Clock;
  standing: (mode: Mode, playerId: string, period: Period) => Promise<PlayerRank>;
}

const idle: RankState = { gameId: null, day: { status: 'unknown' }, all: { status: 'unknown' }, challenge: undefined };

export class RankWatch extends Store<RankState> {
  private readonly deps: RankWatchDeps;
  private readonly timers: Timers;
  private generation = 0;

  constructor(deps: RankWatchDeps) {
    super(idle);
    this.deps = deps;
    this.timers = new Timers(deps.clock);
  }

  /** watch polls the boards for game gameId of playerId, accepted with score: today's and all time, and the challenge's for a challenge game. */
  watch(playerId: string, gameId: string, mode: Mode, score: number, challenge = false): void {
    this.clear();
    const gen = this.generation;
    const boards: RankBoard[] = challenge ? ['day', 'all', 'challenge'] : ['day', 'all'];
    this.set({ gameId, day: { status: 'waiting' }, all: { status: 'waiting' }, challenge: challenge ? { status: 'waiting' } : undefined });
    let at = 0;
    RANK_POLL_DELAYS.forEach((delay, i) => {
      at += delay;
      const last = i === RANK_POLL_DELAYS.length - 1;
      this.timers.after(at, () => void this.poll(gen, boards, playerId, gameId, mode, score, last));
    });
  }

  /** clear forgets the last game (a new one starts). */
  clear(): void {
    this.generation++;
    this.timers.clear();
    this.set(idle);
  }

  dispose(): void {
    this.clear();
  }

  private async poll(gen: number, boards: RankBoard[], playerId: string, gameId: string, mode: Mode, score: number, last: boolean): Promise<void> {
    for (const board of boards) {
      if (gen !== this.generation || this.state[board]?.status !== 'waiting') continue;
      let found: BoardRank | null = null;
      try {
        const { entry } = await this.deps.standing(mode, playerId, board);
        // Settled: the board shows this game, or a score this game cannot beat.
        if (entry.gameId === gameId || entry.score >= score) found = { status: 'ranked', rank: entry.rank, score: entry.score, gameId: entry.gameId };
      } catch (err) {
        // 404: no score there yet; anything else is worth another try too, until the last.
        if (!(err instanceof ApiError)) found = { status: 'unknown' };
      }
      if (gen !== this.generation) return;
      if (found || last) this.set({ [board]: found ?? { status: 'unknown' } });
    }
    if (gen === this.generation && boards.every((b) => this.state[b]?.status !== 'waiting')) this.timers.clear();
  }
}

/** The standing is read around nothing, and revalidated each time: a board's public answers may be cached for seconds. */
export function defaultRankDeps(clock: Clock): RankWatchDeps {
  return { clock, standing: (mode, playerId, period) => api.playerRank(mode, playerId, period, 0, undefined, 'no-cache') };
}
