// ReplayPlayer plays a recorded game back with the rules engine, on a clock:
// the presses the server kept (GET /api/games/{gameId}/replay) are applied at
// their own times, so the board shows exactly what the player saw, and the
// final numbers are the rules' own (the same the server computed). It has no
// React: the replay viewer renders its state. Speed 1x or 2x; pause resumes
// where it stopped; restart plays it again from the start.

import { Game, type Mode, type Press, type Snapshot } from '../rules';
import { Store } from '../store';
import { Timers, type Clock } from './clock';
import { FLASH_MS, type Flash } from './controller';

export type ReplaySpeed = 1 | 2;

export interface ReplayState {
  snapshot: Snapshot;
  /** Game time shown, in ms since the game started. */
  now: number;
  /** How long the game lasted, in ms. */
  duration: number;
  playing: boolean;
  speed: ReplaySpeed;
  /** The press being shown, green or red, for FLASH_MS of game time. */
  flash: Flash | null;
  /** True once the playback reached the end of the game. */
  done: boolean;
}

export interface RecordedGame {
  mode: Mode;
  seed: number;
  presses: Press[];
  endedAt: number;
}

/** The longest real wait between two redraws: the clock on screen keeps moving. */
const MAX_STEP_MS = 250;

export class ReplayPlayer extends Store<ReplayState> {
  private readonly rec: RecordedGame;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private game: Game;
  private next = 0; // index of the next press to apply
  private timer: number | null = null;
  // While playing: game time `baseT` was shown at clock time `baseAt`.
  private baseT = 0;
  private baseAt = 0;
  private flashSeq = 0;
  private flashAt = 0; // game time of the press being flashed

  constructor(rec: RecordedGame, clock: Clock) {
    const game = new Game(rec.mode, rec.seed);
    super({ snapshot: game.snapshot(), now: 0, duration: rec.endedAt, playing: false, speed: 1, flash: null, done: false });
    this.rec = rec;
    this.clock = clock;
    this.timers = new Timers(clock);
    this.game = game;
  }

  play(): void {
    if (this.state.playing) return;
    if (this.state.done) this.reset();
    this.baseT = this.state.now;
    this.baseAt = this.clock.now();
    this.set({ playing: true });
    this.schedule();
  }

  pause(): void {
    if (!this.state.playing) return;
    this.stopTimer();
    this.seek(this.gameTime());
    this.set({ playing: false });
  }

  setSpeed(speed: ReplaySpeed): void {
    if (this.state.playing) {
      this.seek(this.gameTime());
      this.baseT = this.state.now;
      this.baseAt = this.clock.now();
    }
    this.set({ speed });
    if (this.state.playing) this.schedule();
  }

  /** restart goes back to the start, keeping the speed and whether it plays. */
  restart(): void {
    const playing = this.state.playing;
    this.stopTimer();
    this.reset();
    if (playing) {
      this.set({ playing: false });
      this.play();
    }
  }

  dispose(): void {
    this.stopTimer();
    this.timers.clear();
  }

  private reset(): void {
    this.game = new Game(this.rec.mode, this.rec.seed);
    this.next = 0;
    this.set({ snapshot: this.game.snapshot(), now: 0, flash: null, done: false });
  }

  private gameTime(): number {
    return Math.min(this.rec.endedAt, this.baseT + Math.floor((this.clock.now() - this.baseAt) * this.state.speed));
  }

  /** seek moves the game forward to t, applying the presses up to it. */
  private seek(t: number): void {
    let flash = this.state.flash;
    while (this.next < this.rec.presses.length && this.rec.presses[this.next]!.t <= t) {
      const p = this.rec.presses[this.next++]!;
      for (const e of this.game.press(p.t, p.button)) {
        const kind = e.type === 'miss' ? 'wrong' : e.type === 'hit' || e.type === 'step' || e.type === 'complete' ? 'correct' : null;
        if (kind) {
          flash = { button: p.button, kind, seq: ++this.flashSeq };
          this.flashAt = p.t;
        }
      }
    }
    if (t >= this.rec.endedAt) this.game.finish(this.rec.endedAt);
    else this.game.advance(t);
    if (flash && t - this.flashAt >= FLASH_MS) flash = null;
    const done = this.game.over;
    this.set({ snapshot: this.game.snapshot(), now: t, flash, done });
  }

  private tick = (): void => {
    this.timer = null;
    this.seek(this.gameTime());
    if (this.state.done) {
      this.set({ playing: false });
      return;
    }
    this.schedule();
  };

  /** schedule sets one timer for the next change: a press, the engine's own, a flash ending, or a redraw. */
  private schedule(): void {
    this.stopTimer();
    const t = this.state.now;
    const candidates = [this.rec.endedAt, t + MAX_STEP_MS * this.state.speed];
    const press = this.rec.presses[this.next];
    if (press) candidates.push(press.t);
    const change = this.game.nextChangeAt();
    if (change !== null) candidates.push(change);
    if (this.state.flash) candidates.push(this.flashAt + FLASH_MS);
    const target = Math.max(t, Math.min(...candidates));
    this.timer = this.timers.after(Math.max(0, Math.ceil((target - t) / this.state.speed)), this.tick);
  }

  private stopTimer(): void {
    this.timers.cancel(this.timer);
    this.timer = null;
  }
}
