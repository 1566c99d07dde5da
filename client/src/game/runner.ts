// GameRunner puts one game of the rules engine on a clock: it keeps a single
// timer for the engine's next change, stamps presses with whole ms since the
// start, and records them for the server. stop() cancels everything, so a
// reset can never leave a round of an old game running.

import { Game, MAX_PRESSES, resultOf, type GameEvent, type Mode, type Press, type ReplayResult, type Snapshot } from '../rules';
import { Timers, type Clock } from './clock';

export interface FinishedGame {
  presses: Press[];
  endedAt: number;
  /** The result by the browser's own replay: what the server should find too. */
  local: ReplayResult;
}

export interface RunnerListener {
  /** update is called after every change, with what happened since the last one. */
  update(snapshot: Snapshot, events: GameEvent[]): void;
  /** over is called once, when the lives run out or the player quits. */
  over(game: FinishedGame): void;
}

export class GameRunner {
  readonly mode: Mode;
  private readonly game: Game;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly listener: RunnerListener;
  private readonly startedAt: number;
  private readonly presses: Press[] = [];
  private timer: number | null = null;
  private lastT = 0;
  private done = false;

  constructor(mode: Mode, seed: number, clock: Clock, listener: RunnerListener) {
    this.mode = mode;
    this.game = new Game(mode, seed);
    this.clock = clock;
    this.timers = new Timers(clock);
    this.listener = listener;
    this.startedAt = clock.now();
    this.schedule();
  }

  /** elapsed is the game time now: whole ms since the start, never going back. */
  elapsed(): number {
    const t = Math.floor(this.clock.now() - this.startedAt);
    if (t > this.lastT) this.lastT = t;
    return this.lastT;
  }

  snapshot(): Snapshot {
    return this.game.snapshot();
  }

  get running(): boolean {
    return !this.done;
  }

  /** press records and applies a press now; it returns what happened (empty when ignored). */
  press(button: number): GameEvent[] {
    if (this.done || this.presses.length >= MAX_PRESSES) return [];
    const t = this.elapsed();
    this.presses.push({ t, button });
    return this.apply(this.game.press(t, button));
  }

  /** quit ends the game now (the player pressed Reiniciar). */
  quit(): void {
    if (this.done) return;
    this.apply(this.game.finish(this.elapsed()));
  }

  /** stop drops the game without reporting anything more: no timer survives it. */
  stop(): void {
    this.done = true;
    this.timers.clear();
    this.timer = null;
  }

  private tick = (): void => {
    this.timer = null;
    if (this.done) return;
    this.apply(this.game.advance(this.elapsed()));
  };

  private apply(events: GameEvent[]): GameEvent[] {
    const snapshot = this.game.snapshot();
    if (snapshot.phase === 'over') {
      this.stop();
      this.listener.update(snapshot, events);
      this.listener.over({ presses: this.presses.slice(), endedAt: snapshot.endedAt ?? snapshot.now, local: resultOf(this.game) });
      return events;
    }
    this.schedule();
    this.listener.update(snapshot, events);
    return events;
  }

  private schedule(): void {
    this.timers.cancel(this.timer);
    this.timer = null;
    const next = this.game.nextChangeAt();
    if (next === null) return;
    this.timer = this.timers.after(Math.max(0, next - this.elapsed()), this.tick);
  }
}
