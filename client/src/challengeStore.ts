// ChallengeStore is what this browser knows of the player's daily
// challenge today, per mode: the game of their one attempt and its result.
// It learns it from the starts (the 201, or the 409 that names the first
// game), from the results the outbox sends, and from today's challenge
// board (a game played on another device). Kept in localStorage per player
// and day, so a reload still knows; a new UTC day starts empty.

import type { Entry, GameResult, GameView, StartedGame } from './api';
import { challengeDay, utcDay } from './challenge';
import type { Mode } from './rules';
import { readJSON, writeJSON } from './storage';
import { Store } from './store';

export const CHALLENGE_KEY = 'lightpress.challenge';

/** AttemptResult is the server's verdict on the attempt's game. */
export interface AttemptResult {
  status: 'accepted' | 'rejected' | 'held';
  score: number;
  level: number;
  reason?: string;
}

/** Attempt is the player's one game of today's challenge in a mode; no result while it is played (or not known yet). */
export interface Attempt {
  gameId: string;
  result?: AttemptResult;
}

export interface ChallengeState {
  /** day is the challenge's UTC date ("2026-12-01"). */
  day: string;
  playerId: string | null;
  attempts: Partial<Record<Mode, Attempt>>;
}

export interface ChallengeDeps {
  /** now is the wall clock in ms (Date.now): the challenge changes at UTC midnight. */
  now(): number;
  /** fetchGame reads one of the player's games (GET /api/games/{id}); null when there is no session. */
  fetchGame(gameId: string): Promise<GameView | null>;
}

function resultOf(r: GameResult | { status: string; score: number; level: number; reason?: string }): AttemptResult {
  const status = r.status === 'accepted' || r.status === 'held' ? r.status : 'rejected';
  return { status, score: r.score, level: r.level, reason: r.reason };
}

export class ChallengeStore extends Store<ChallengeState> {
  private readonly deps: ChallengeDeps;

  constructor(deps: ChallengeDeps) {
    const day = utcDay(deps.now());
    const saved = readJSON<ChallengeState>(CHALLENGE_KEY);
    super(saved && saved.day === day && saved.attempts ? saved : { day, playerId: saved?.playerId ?? null, attempts: {} });
    this.deps = deps;
  }

  /** now is the wall clock the store runs on. */
  now(): number {
    return this.deps.now();
  }

  /** refresh reads the result of every attempt that has none yet (sent from another page, or never finished). */
  async refresh(): Promise<void> {
    const open = Object.entries(this.state.attempts).filter(([, a]) => a && !a.result) as [Mode, Attempt][];
    await Promise.all(open.map(([mode, a]) => this.load(mode, a.gameId)));
  }

  /** tick moves to a new challenge once the UTC day has changed; call it now and then (the card does, every minute). */
  tick(): void {
    const day = utcDay(this.deps.now());
    if (day > this.state.day) this.save({ day, attempts: {} });
  }

  /** setPlayer follows the signed-in player: another player's attempts are not theirs. */
  setPlayer(playerId: string | null): void {
    if (playerId === this.state.playerId) return;
    this.save({ playerId, attempts: {} });
  }

  /** started records a game the server started for today's challenge. */
  started(game: StartedGame): void {
    const day = challengeDay(game.challenge?.id);
    if (!day) return;
    this.record(day, game.mode, { gameId: game.gameId });
  }

  /**
   * alreadyPlayed records the 409 of a second start: gameId is the first
   * game (perhaps from another device), whose result is then read.
   */
  async alreadyPlayed(mode: Mode, gameId: string, challengeIdOfDay?: string): Promise<void> {
    const day = challengeDay(challengeIdOfDay) ?? this.state.day;
    const known = this.state.attempts[mode];
    if (!(known?.gameId === gameId && known.result)) this.record(day, mode, { gameId });
    await this.load(mode, gameId);
  }

  /** isAttempt says whether gameId is one of today's attempts. */
  isAttempt(gameId: string): boolean {
    return Object.values(this.state.attempts).some((a) => a?.gameId === gameId);
  }

  /** finished records the server's result of a game, if it is today's attempt of its mode. */
  finished(gameId: string, result: GameResult): void {
    const mode = result.mode;
    if (this.state.attempts[mode]?.gameId !== gameId) return;
    this.record(this.state.day, mode, { gameId, result: resultOf(result) });
  }

  /** onBoard records the player's entry on today's challenge board of mode (an accepted game). */
  onBoard(mode: Mode, periodKey: string, entry: Entry): void {
    if (periodKey !== this.state.day || entry.playerId !== this.state.playerId) return;
    const known = this.state.attempts[mode];
    if (known?.gameId === entry.gameId && known.result?.status === 'accepted') return;
    this.record(periodKey, mode, { gameId: entry.gameId, result: { status: 'accepted', score: entry.score, level: entry.level } });
  }

  /** load reads an attempt's game for its result; a game still being played has none yet. */
  private async load(mode: Mode, gameId: string): Promise<void> {
    let game: GameView | null = null;
    try {
      game = await this.deps.fetchGame(gameId);
    } catch {
      return; // the attempt stays known as played; its result shows once read
    }
    if (game?.result && this.state.attempts[mode]?.gameId === gameId) {
      this.record(this.state.day, mode, { gameId, result: resultOf(game.result) });
    }
  }

  private record(day: string, mode: Mode, attempt: Attempt): void {
    if (day < this.state.day) return; // yesterday's game is not today's attempt
    const attempts = day === this.state.day ? { ...this.state.attempts, [mode]: attempt } : { [mode]: attempt };
    this.save({ day, attempts });
  }

  private save(patch: Partial<ChallengeState>): void {
    this.set(patch);
    writeJSON(CHALLENGE_KEY, this.state);
  }
}
