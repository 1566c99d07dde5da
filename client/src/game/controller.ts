// GameController is everything the play screen does, without React: choose a
// mode, start a game (the seed comes from the server) after a short ready
// beat, pass presses to the runner, end or restart it, and hand the finished
// game to whoever sends results. React subscribes to it
// (useSyncExternalStore) and only renders its state.

import { ApiError, type ChallengeKind, type GameResult } from '../api';
import type { Mode, Press, Snapshot } from '../rules';
import { Store } from '../store';
import { Timers, type Clock } from './clock';
import { cuesFor, type Cue } from './cues';
import { messageAfter, startMessage, type Message } from './messages';
import { classicReactions, reactionStats, type ReactionStats } from './reaction';
import { GameRunner, type FinishedGame } from './runner';

/**
 * Stage of the play screen: `ready` is the countdown before the clock starts
 * (the server is asked for the game meanwhile); `starting` is a countdown
 * that ended before the server answered.
 */
export type Stage = 'idle' | 'ready' | 'starting' | 'playing' | 'over';

/** isBusy: a game is on its way or running (the mode is fixed, Iniciar is Reiniciar). */
export function isBusy(stage: Stage): boolean {
  return stage === 'ready' || stage === 'starting' || stage === 'playing';
}

/** The ready beat: 3, 2, 1, each BEAT_MS long, then the first light. */
export const READY_BEATS = 3;
export const BEAT_MS = 500;
/** Reiniciar asks first: a second press within CONFIRM_MS (but not sooner than CONFIRM_MIN_MS, a double click) restarts. */
export const CONFIRM_MS = 3000;
export const CONFIRM_MIN_MS = 250;
/** Enter or Space start a game this long after the last one ended at the earliest (a key held from the game). */
export const KEY_START_GUARD_MS = 800;

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
  /** Beats left of the countdown while `ready` (3, 2, 1); 0 otherwise. */
  countdown: number;
  /** Reiniciar was pressed once during this game: the next press restarts. */
  confirmRestart: boolean;
  /** Classic: reaction times of the last finished game's correct presses. */
  reaction: ReactionStats | null;
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
  /** startGame asks the server for a game (of a challenge, if given); it throws when the server cannot be reached. */
  startGame(mode: Mode, challenge?: ChallengeKind): Promise<ServerGame>;
  /** submitResult hands a finished game over for sending (see ResultOutbox). */
  submitResult(game: FinishedServerGame): void;
  /** randomSeed is the seed of a practice game. */
  randomSeed(): number;
  /** cue is told what the game sounds like (see cues.ts); optional. */
  cue?(cue: Cue): void;
}

export class GameController extends Store<ControllerState> {
  private readonly deps: ControllerDeps;
  private readonly timers: Timers;
  private runner: GameRunner | null = null;
  private server: ServerGame | null = null;
  private generation = 0;
  private answered = false;
  private seed = 0;
  private pressing: number | null = null;
  private beatTimer: number | null = null;
  private confirmTimer: number | null = null;
  private confirmAt = 0;
  private overAt = -Infinity;
  private flashTimer: number | null = null;
  private flashSeq = 0;

  constructor(deps: ControllerDeps) {
    super({
      mode: 'classic',
      stage: 'idle',
      countdown: 0,
      confirmRestart: false,
      reaction: null,
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
    return isBusy(this.state.stage);
  }

  /** elapsed is the current game's time in ms (for the time-left pill). */
  elapsed(): number {
    return this.runner?.running ? this.runner.elapsed() : (this.state.snapshot?.now ?? 0);
  }

  selectMode(mode: Mode): void {
    if (this.busy) return; // the mode is fixed during a game
    this.set({ mode, message: { key: mode === 'classic' ? 'msgModeClassic' : 'msgModeMemory' } });
  }

  /**
   * start begins a game: the ready beat (3, 2, 1) runs while the server is
   * asked for the game, and the clock starts (t = 0) on the last beat. A
   * failed request makes it a practice game, shown as such from then on.
   * It resolves once the server has answered. A challenge is played for real
   * or not at all: if its start fails (played already, offline) the
   * countdown stops and the message says why.
   */
  async start(challenge?: ChallengeKind): Promise<void> {
    if (this.busy) return;
    const gen = ++this.generation;
    const mode = this.state.mode;
    this.answered = false;
    this.server = null;
    this.set({
      stage: 'ready',
      countdown: READY_BEATS,
      confirmRestart: false,
      message: { key: 'msgReady', params: { n: READY_BEATS } },
      result: null,
      reaction: null,
      practice: false,
      snapshot: null,
      flash: null,
    });
    this.cue({ type: 'tick' });
    this.beat(gen);
    let server: ServerGame | null = null;
    try {
      server = await this.deps.startGame(mode, challenge);
    } catch (err) {
      if (challenge && gen === this.generation) {
        const played = err instanceof ApiError && err.status === 409;
        this.stopCountdown({ key: played ? 'msgChallengePlayed' : 'msgChallengeNotStarted' });
        return;
      }
      server = null;
    }
    if (gen !== this.generation) return; // ended or restarted while we waited
    this.server = server;
    this.answered = true;
    this.set({ practice: server === null });
    if (this.state.stage === 'starting') {
      // The countdown is over: one more beat, so the first light never comes unannounced.
      this.set({ stage: 'ready', countdown: 1, message: { key: 'msgReady', params: { n: 1 } } });
      this.cue({ type: 'tick' });
      this.beat(gen);
    }
  }

  /** keyStart is Enter or Space outside any control: it starts a game, never ends one. */
  keyStart(): void {
    const { stage } = this.state;
    if (stage === 'idle' || (stage === 'over' && this.deps.clock.now() - this.overAt >= KEY_START_GUARD_MS)) void this.start();
  }

  /**
   * restart is "Reiniciar": the first press only asks for confirmation (the
   * button says so for CONFIRM_MS); a second one ends the game in progress
   * (its result is sent like any other) and starts a new one in the same mode.
   */
  restart(): void {
    if (!this.busy) return;
    const now = this.deps.clock.now();
    if (!this.state.confirmRestart) {
      this.confirmAt = now;
      this.timers.cancel(this.confirmTimer);
      this.confirmTimer = this.timers.after(CONFIRM_MS, () => {
        this.confirmTimer = null;
        this.set({ confirmRestart: false });
      });
      this.set({ confirmRestart: true });
      return;
    }
    if (now - this.confirmAt < CONFIRM_MIN_MS) return; // the second click of a double click
    this.end();
    void this.start();
  }

  /** end is "Terminar": the game in progress ends now and its result is sent; a countdown is cancelled. */
  end(): void {
    this.timers.cancel(this.confirmTimer);
    this.confirmTimer = null;
    if (this.state.stage === 'playing') {
      this.runner?.quit();
      return;
    }
    if (this.state.stage === 'ready' || this.state.stage === 'starting') this.stopCountdown({ key: 'msgIdle' });
  }

  /** stopCountdown cancels a game that has not started yet, saying message. */
  private stopCountdown(message: Message): void {
    this.generation++;
    this.timers.cancel(this.beatTimer);
    this.beatTimer = null;
    this.set({ stage: 'idle', countdown: 0, confirmRestart: false, practice: false, message });
  }

  /** press is a press of a board button by the player. */
  press(button: number): void {
    if (this.state.stage !== 'playing' || !this.runner) return;
    this.pressing = button;
    const events = this.runner.press(button);
    this.pressing = null;
    let kind: Flash['kind'] | null = null;
    for (const e of events) {
      if (e.type === 'hit' || e.type === 'step' || e.type === 'complete') kind = 'correct';
      if (e.type === 'miss') kind = 'wrong';
    }
    if (kind) this.flash(button, kind);
  }

  /** showResult records what the server (or the outbox) said about a game if it is the last one, and says whether it was. */
  showResult(gameId: string, view: ResultView): boolean {
    const current = this.state.result;
    if (!current || !('gameId' in current) || current.gameId !== gameId) return false;
    this.set({ result: view });
    return true;
  }

  /** dispose stops the game and every timer (unmount). */
  dispose(): void {
    this.generation++;
    this.runner?.stop();
    this.runner = null;
    this.timers.clear();
  }

  /** beat schedules the next beat of the countdown; the last one starts the game, once the server answered. */
  private beat(gen: number): void {
    this.timers.cancel(this.beatTimer);
    this.beatTimer = this.timers.after(BEAT_MS, () => {
      this.beatTimer = null;
      if (gen !== this.generation) return;
      const left = this.state.countdown - 1;
      if (left > 0) {
        this.set({ countdown: left, message: { key: 'msgReady', params: { n: left } } });
        this.cue({ type: 'tick' });
        this.beat(gen);
      } else if (!this.answered) {
        this.set({ stage: 'starting', countdown: 0, message: { key: 'msgStarting' } });
      } else {
        this.play(gen);
      }
    });
  }

  /** play starts the clock of the game: t = 0 is now. */
  private play(gen: number): void {
    const mode = this.state.mode;
    const server = this.server;
    this.seed = server ? server.seed : this.deps.randomSeed();
    this.runner = new GameRunner(mode, this.seed, this.deps.clock, {
      update: (snapshot, events) => {
        if (gen !== this.generation) return;
        const prev = this.state.snapshot;
        this.set({ snapshot, message: messageAfter(mode, events, this.state.message) });
        for (const c of cuesFor(prev, snapshot, events, this.pressing)) this.cue(c);
      },
      over: (finished) => {
        if (gen !== this.generation) return;
        this.finished(mode, finished);
      },
    });
    this.set({ stage: 'playing', countdown: 0, snapshot: this.runner.snapshot(), message: startMessage(mode) });
    this.cue({ type: 'go' });
  }

  private finished(mode: Mode, game: FinishedGame): void {
    this.runner = null;
    this.overAt = this.deps.clock.now();
    const localScore = game.local.score;
    const server = this.server;
    const reaction = mode === 'classic' ? reactionStats(classicReactions(this.seed, game.presses)) : null;
    if (!server) {
      this.set({ stage: 'over', confirmRestart: false, reaction, result: { status: 'practice', localScore } });
      return;
    }
    this.set({ stage: 'over', confirmRestart: false, reaction, result: { status: 'sending', gameId: server.gameId, localScore } });
    this.deps.submitResult({ ...server, mode, presses: game.presses, endedAt: game.endedAt, localScore });
  }

  private cue(c: Cue): void {
    this.deps.cue?.(c);
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
