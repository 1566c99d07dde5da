// The game engine: the rules of GAME_RULES.md as an incremental state machine.
// It has no clock and no timers: the caller says what time it is (whole ms
// since the game started) with advance(t) and press(t, button). Given the same
// seed and the same calls it always reaches the same state, which is what lets
// the server replay a game from its presses (see replay.ts).

import { Rng } from './rng';

export type Mode = 'classic' | 'memory';

export const LIVES = 3;
/** Classic: the board stays locked this long after a correct press. */
export const CLASSIC_HIT_PAUSE = 350;
/** Classic: the board stays locked this long after a timeout. */
export const CLASSIC_TIMEOUT_PAUSE = 400;
/** Memory: the first playback starts at this time. */
export const MEMORY_FIRST_SHOW = 350;
/** Memory: element i of the sequence lights at show + i * MEMORY_STEP... */
export const MEMORY_STEP = 900;
/** ...for this long. */
export const MEMORY_LIT = 650;
/** Memory: the board unlocks this long after the last step slot. */
export const MEMORY_UNLOCK_PAD = 120;
/** Memory: after a wrong press the sequence is shown again after this delay. */
export const MEMORY_RETRY_PAUSE = 700;
/** Memory: after a completed sequence the longer one is shown after this delay. */
export const MEMORY_NEXT_PAUSE = 900;
/** A correct press sooner than this after its round started (or the previous press) is "too fast". */
export const FAST_PRESS_MS = 100;
/** More too-fast presses than this reject the game. */
export const MAX_FAST_PRESSES = 2;

/** classicWindow is the time allowed for a classic round at `level`, in ms. */
export function classicWindow(level: number): number {
  const raw = Math.max(1200, 3000 - (level - 1) * 180);
  return Math.ceil(raw / 100) * 100;
}

/**
 * Phase of the board at the engine's current time:
 * - lit: classic round running, one button lit, presses count;
 * - locked: nothing lit, presses ignored (classic pause, or memory before a playback);
 * - showing: memory playback, presses ignored;
 * - input: memory, the player repeats the sequence;
 * - over: the game has ended.
 */
export type Phase = 'lit' | 'locked' | 'showing' | 'input' | 'over';

/** What happened, for the player's messages. `t` is when it happened. */
export type GameEvent =
  | { type: 'hit'; t: number; points: number; fast: boolean }
  | { type: 'miss'; t: number }
  | { type: 'timeout'; t: number }
  | { type: 'round'; t: number }
  | { type: 'show'; t: number; length: number }
  | { type: 'unlock'; t: number }
  | { type: 'step'; t: number; step: number; length: number; fast: boolean }
  | { type: 'complete'; t: number; points: number; level: number; fast: boolean }
  | { type: 'over'; t: number; cause: 'miss' | 'timeout' | 'quit' };

/** Snapshot is the whole visible state at the engine's current time. */
export interface Snapshot {
  mode: Mode;
  now: number;
  phase: Phase;
  /** The button lit right now, or null. */
  lit: number | null;
  score: number;
  level: number;
  lives: number;
  combo: number;
  maxCombo: number;
  rounds: number;
  fastPresses: number;
  /** Set once the game is over. */
  endedAt: number | null;
  /** Classic: start and deadline of the current (or next) round. */
  roundStart: number;
  deadline: number;
  window: number;
  /** Memory: length of the sequence, playback start, unlock time. */
  length: number;
  showAt: number;
  unlockAt: number;
  /** Memory: index (1-based) of the step being shown, 0 before the first. */
  shownStep: number;
  /** Memory: how many elements the player has repeated so far. */
  entered: number;
}

/** Game is one game in progress. Times are whole ms since the start; they never go back. */
export class Game {
  readonly mode: Mode;
  private readonly rng: Rng;
  private now = 0;
  private score = 0;
  private level = 1;
  private lives = LIVES;
  private combo = 0;
  private maxCombo = 0;
  private rounds = 0;
  private fastPresses = 0;
  private endedAt: number | null = null;

  // classic: the lit button of the current (or next) round, its start and deadline
  private target: number;
  private roundStart = 0;
  private deadline = 0;

  // memory
  private readonly sequence: number[] = [];
  private showAt = MEMORY_FIRST_SHOW;
  private unlockAt = 0;
  private entered = 0;
  private lastInputAt = 0;

  constructor(mode: Mode, seed: number) {
    this.mode = mode;
    this.rng = new Rng(seed);
    this.target = this.rng.button(null);
    if (mode === 'classic') {
      this.deadline = classicWindow(this.level);
    } else {
      this.sequence.push(this.target);
      this.scheduleShow(MEMORY_FIRST_SHOW);
    }
  }

  get over(): boolean {
    return this.endedAt !== null;
  }

  /** advance moves time forward to t, applying timeouts and playback steps. */
  advance(t: number): GameEvent[] {
    const events: GameEvent[] = [];
    if (this.over) return events;
    const prev = this.now;
    if (t <= prev) return events;
    if (this.mode === 'classic') {
      while (!this.over && t >= this.deadline) {
        // No correct press before the deadline: the round is lost.
        const at = this.deadline;
        this.rounds += 1;
        this.combo = 0;
        this.lives -= 1;
        events.push({ type: 'timeout', t: at });
        if (this.lives === 0) {
          this.end(at, 'timeout', events);
          return events;
        }
        this.target = this.rng.button(null);
        this.startRound(at + CLASSIC_TIMEOUT_PAUSE);
      }
      if (prev < this.roundStart && this.roundStart <= t) {
        events.push({ type: 'round', t: this.roundStart });
      }
    } else {
      if (prev < this.showAt && this.showAt <= t) {
        events.push({ type: 'show', t: this.showAt, length: this.sequence.length });
      }
      if (prev < this.unlockAt && this.unlockAt <= t) {
        events.push({ type: 'unlock', t: this.unlockAt });
      }
    }
    this.now = t;
    return events;
  }

  /** press applies a press of `button` at time t. Presses while locked or after the end are ignored (no events). */
  press(t: number, button: number): GameEvent[] {
    const events = this.advance(t);
    if (this.over) return events;
    return events.concat(this.mode === 'classic' ? this.pressClassic(this.now, button) : this.pressMemory(this.now, button));
  }

  /** finish ends the game at endedAt (the player quit) unless the lives ran out before. */
  finish(endedAt: number): GameEvent[] {
    const events = this.advance(endedAt);
    if (!this.over) this.end(Math.max(endedAt, this.now), 'quit', events);
    return events;
  }

  /**
   * nextChangeAt is the next time the board changes by itself (a deadline, a
   * round start, a playback step, an unlock), or null when only a press can
   * change it. A UI sets one timer for it and calls advance then.
   */
  nextChangeAt(): number | null {
    if (this.over) return null;
    const t = this.now;
    if (this.mode === 'classic') return t < this.roundStart ? this.roundStart : this.deadline;
    if (t < this.showAt) return this.showAt;
    if (t >= this.unlockAt) return null;
    const { index, lit } = this.playbackSlot(t);
    const next = lit ? index * MEMORY_STEP + MEMORY_LIT : (index + 1) * MEMORY_STEP;
    return Math.min(this.showAt + next, this.unlockAt);
  }

  /** playbackSlot is the step of the playback at t (0-based) and whether its button is lit then. */
  private playbackSlot(t: number): { index: number; lit: boolean } {
    const rel = t - this.showAt;
    const index = Math.floor(rel / MEMORY_STEP);
    return { index, lit: index < this.sequence.length && rel - index * MEMORY_STEP < MEMORY_LIT };
  }

  snapshot(): Snapshot {
    const t = this.now;
    const length = this.sequence.length;
    let phase: Phase;
    let lit: number | null = null;
    let shownStep = 0;
    if (this.over) {
      phase = 'over';
    } else if (this.mode === 'classic') {
      phase = t < this.roundStart ? 'locked' : 'lit';
      if (phase === 'lit') lit = this.target;
    } else if (t < this.showAt) {
      phase = 'locked';
    } else if (t < this.unlockAt) {
      phase = 'showing';
      const slot = this.playbackSlot(t);
      shownStep = Math.min(slot.index + 1, length);
      if (slot.lit) lit = this.sequence[slot.index] ?? null;
    } else {
      phase = 'input';
    }
    return {
      mode: this.mode,
      now: t,
      phase,
      lit,
      score: this.score,
      level: this.level,
      lives: this.lives,
      combo: this.combo,
      maxCombo: this.maxCombo,
      rounds: this.rounds,
      fastPresses: this.fastPresses,
      endedAt: this.endedAt,
      roundStart: this.roundStart,
      deadline: this.deadline,
      window: this.deadline - this.roundStart,
      length,
      showAt: this.showAt,
      unlockAt: this.unlockAt,
      shownStep,
      entered: this.entered,
    };
  }

  private pressClassic(t: number, button: number): GameEvent[] {
    if (t < this.roundStart) return []; // locked between rounds
    if (button !== this.target) return this.wrong(t);
    const fast = t - this.roundStart < FAST_PRESS_MS;
    if (fast) this.fastPresses += 1;
    this.hitCombo();
    if (this.combo % 5 === 0) this.level += 1;
    const points = 10 + this.level * 2 + Math.floor(this.combo / 3);
    this.score += points;
    this.rounds += 1;
    this.target = this.rng.button(this.target);
    this.startRound(t + CLASSIC_HIT_PAUSE);
    return [{ type: 'hit', t, points, fast }];
  }

  private pressMemory(t: number, button: number): GameEvent[] {
    if (t < this.unlockAt) return []; // locked during playback
    if (button !== this.sequence[this.entered]) {
      const events = this.wrong(t);
      if (!this.over) {
        this.entered = 0;
        this.scheduleShow(t + MEMORY_RETRY_PAUSE);
      }
      return events;
    }
    const fast = t - this.lastInputAt < FAST_PRESS_MS;
    if (fast) this.fastPresses += 1;
    this.lastInputAt = t;
    this.entered += 1;
    const n = this.sequence.length;
    if (this.entered < n) return [{ type: 'step', t, step: this.entered, length: n, fast }];
    this.hitCombo();
    this.level += 1;
    const points = 25 + n * 10 + this.combo * 3;
    this.score += points;
    this.rounds += 1;
    this.sequence.push(this.rng.button(this.sequence[n - 1] ?? null));
    this.entered = 0;
    this.scheduleShow(t + MEMORY_NEXT_PAUSE);
    return [{ type: 'complete', t, points, level: this.level, fast }];
  }

  private wrong(t: number): GameEvent[] {
    this.combo = 0;
    this.lives -= 1;
    const events: GameEvent[] = [{ type: 'miss', t }];
    if (this.lives === 0) this.end(t, 'miss', events);
    return events;
  }

  private hitCombo(): void {
    this.combo += 1;
    if (this.combo > this.maxCombo) this.maxCombo = this.combo;
  }

  private startRound(start: number): void {
    this.roundStart = start;
    this.deadline = start + classicWindow(this.level);
  }

  private scheduleShow(show: number): void {
    this.showAt = show;
    this.unlockAt = show + this.sequence.length * MEMORY_STEP + MEMORY_UNLOCK_PAD;
    this.lastInputAt = this.unlockAt;
  }

  private end(t: number, cause: 'miss' | 'timeout' | 'quit', events: GameEvent[]): void {
    this.endedAt = t;
    this.now = Math.max(this.now, t);
    events.push({ type: 'over', t, cause });
  }
}
