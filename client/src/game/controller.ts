// GameController is everything the play screen does, without React: choose a
// mode, start a game (the seed comes from the server), pass presses to the
// runner, quit, and hand the finished game to whoever sends results. React
// subscribes to it (useSyncExternalStore) and only renders its state.

import type { GameResult } from '../api';
import type { Mode, Press, Snapshot } from '../rules';
import { Store } from '../store';
import { Timers, type Clock } from './clock';
import { messageAfter, startMessage, type Message } from './messages';
import { GameRunner, type FinishedGame } from './runner';

export type Stage = 'idle' | 'starting' | 'playing' | 'over';

/** How long a pressed button flashes green or red. */
export const FLASH_MS = 280;

export interface Flash {
  button: number;
  kind: 'correct' | 'wrong';
  /** Changes with every press, so the same button can flash twice in a row. */
  seq: number;
}

/** ResultView is what the player is told about the last game's result. */
export type ResultView =
  | { status: 'practice'; localScore: number }
  | { status: 'sending'; gameId: string; localScore: number }
  | { status: 'pending'; gameId: string; localScore: number; retryInMs: number }
  | { status: 'accepted' | 'held' | 'rejected'; gameId: string; localScore: number; server: GameResult }
  | { status: 'failed'; gameId: string; localScore: number; reason: string };

export interface ControllerState {
  mode: Mode;
  stage: Stage;
  /** The current game, or the last one once it is over; null before the first. */
  snapshot: Snapshot | null;
  message: Message;
  /** True when the server could not start the game: it is played but not saved. */
  practice: boolean;
  flash: Flash | null;
  result: ResultView | null;
}

/** ServerGame is a game the server started: its id, seed, and the token of its player. */
export interface ServerGame {
  gameId: string;
  seed: number;
  token: string;
}

export interface FinishedServerGame extends ServerGame {
  mode: Mode;
  presses: Press[];
  endedAt: number;
  localScore: number;
}

export interface ControllerDeps {
  clock: Clock;
  /** startGame asks the server for a game; it throws when the server cannot be reached. */
  startGame(mode: Mode): Promise<ServerGame>;
  /** submitResult hands a finished game over for sending (see ResultOutbox). */
  submitResult(game: FinishedServerGame): void;
  /** randomSeed is the seed of a practice game. */
  randomSeed(): number;
}

export class GameController extends Store<ControllerState> {
  private readonly deps: ControllerDeps;
  private readonly timers: Timers;
  private runner: GameRunner | null = null;
  private server: ServerGame | null = null;
  private generation = 0;
  private flashTimer: number | null = null;
  private flashSeq = 0;

  constructor(deps: ControllerDeps) {
    super({
      mode: 'classic',
      stage: 'idle',
      snapshot: null,
      message: { key: 'msgIdle' },
      practice: false,
      flash: null,
      result: null,
    });
    this.deps = deps;
    this.timers = new Timers(deps.clock);
  }

  get busy(): boolean {
    return this.state.stage === 'starting' || this.state.stage === 'playing';
  }

  /** elapsed is the current game's time in ms (for the time-left pill). */
  elapsed(): number {
    return this.runner?.running ? this.runner.elapsed() : (this.state.snapshot?.now ?? 0);
  }

  selectMode(mode: Mode): void {
    if (this.busy) return; // the mode is fixed during a game
    this.set({ mode, message: { key: mode === 'classic' ? 'msgModeClassic' : 'msgModeMemory' } });
  }

  /** start asks the server for a game and starts it; a failed request starts a practice game. */
  async start(): Promise<void> {
    if (this.busy) return;
    const gen = ++this.generation;
    const mode = this.state.mode;
    this.set({ stage: 'starting', message: { key: 'msgStarting' }, result: null, practice: false });
    let server: ServerGame | null = null;
    try {
      server = await this.deps.startGame(mode);
    } catch {
      server = null;
    }
    if (gen !== this.generation) return; // reset while we waited
    this.server = server;
    const seed = server ? server.seed : this.deps.randomSeed();
    this.runner = new GameRunner(mode, seed, this.deps.clock, {
      update: (snapshot, events) => {
        if (gen !== this.generation) return;
        this.set({ snapshot, message: messageAfter(mode, events, this.state.message) });
      },
      over: (finished) => {
        if (gen !== this.generation) return;
        this.finished(mode, finished);
      },
    });
    this.set({ stage: 'playing', snapshot: this.runner.snapshot(), message: startMessage(mode), practice: server === null });
  }

  /**
   * restart is the "Reiniciar" button: it ends the game in progress (its result
   * is sent like any other) or cancels one that is still starting.
   */
  restart(): void {
    if (this.state.stage === 'starting') {
      this.generation++;
      this.set({ stage: 'idle', message: { key: 'msgIdle' } });
      return;
    }
    if (this.state.stage === 'playing') this.runner?.quit();
  }

  /** press is a press of a board button by the player. */
  press(button: number): void {
    if (this.state.stage !== 'playing' || !this.runner) return;
    const events = this.runner.press(button);
    let kind: Flash['kind'] | null = null;
    for (const e of events) {
      if (e.type === 'hit' || e.type === 'step' || e.type === 'complete') kind = 'correct';
      if (e.type === 'miss') kind = 'wrong';
    }
    if (kind) this.flash(button, kind);
  }

  /** showResult records what the server (or the outbox) said about a game, if it is the last one. */
  showResult(gameId: string, view: ResultView): void {
    const current = this.state.result;
    if (!current || !('gameId' in current) || current.gameId !== gameId) return;
    this.set({ result: view });
  }

  /** dispose stops the game and every timer (unmount). */
  dispose(): void {
    this.generation++;
    this.runner?.stop();
    this.runner = null;
    this.timers.clear();
  }

  private finished(mode: Mode, game: FinishedGame): void {
    this.runner = null;
    const localScore = game.local.score;
    const server = this.server;
    if (!server) {
      this.set({ stage: 'over', result: { status: 'practice', localScore } });
      return;
    }
    this.set({ stage: 'over', result: { status: 'sending', gameId: server.gameId, localScore } });
    this.deps.submitResult({ ...server, mode, presses: game.presses, endedAt: game.endedAt, localScore });
  }

  private flash(button: number, kind: Flash['kind']): void {
    this.timers.cancel(this.flashTimer);
    this.set({ flash: { button, kind, seq: ++this.flashSeq } });
    this.flashTimer = this.timers.after(FLASH_MS, () => {
      this.flashTimer = null;
      this.set({ flash: null });
    });
  }
}
