import { describe, expect, it } from 'vitest';
import { sharedVectors as vectors, withoutReason, type ReplayCase } from '../test/vectors';
import { Game, RULES_VERSION, Rng, classicWindow, replay, resultOf, type GameEvent, type ReplayResult } from './index';

/**
 * playLive drives the engine the way the UI does: a timer fires at every
 * nextChangeAt (plus some lateness), presses arrive in between, and the player
 * quits at endedAt unless the lives run out first.
 */
function playLive(c: ReplayCase, lateness: number): { result: ReplayResult; events: GameEvent[] } {
  const game = new Game(c.mode, c.seed);
  const events: GameEvent[] = [];
  const timersUntil = (t: number) => {
    for (let next = game.nextChangeAt(); next !== null && next + lateness < t; next = game.nextChangeAt()) {
      events.push(...game.advance(next + lateness));
    }
  };
  for (const p of c.presses) {
    timersUntil(p.t);
    if (game.over) break;
    events.push(...game.press(p.t, p.button));
  }
  timersUntil(c.endedAt);
  events.push(...game.finish(c.endedAt));
  return { result: resultOf(game), events };
}

describe('vectors file', () => {
  it('is for the rules version this client implements', () => {
    expect(vectors.rulesVersion).toBe(RULES_VERSION);
    expect(vectors.rng.length).toBeGreaterThan(0);
    expect(vectors.replays.length).toBeGreaterThan(0);
  });
});

describe('mulberry32', () => {
  for (const c of vectors.rng) {
    it(`seed ${c.seed}: next()`, () => {
      const rng = new Rng(c.seed);
      expect(c.next.map(() => rng.next())).toEqual(c.next);
    });
    it(`seed ${c.seed}: button(none)`, () => {
      const rng = new Rng(c.seed);
      expect(c.buttons.map(() => rng.button(null))).toEqual(c.buttons);
    });
    it(`seed ${c.seed}: button(3)`, () => {
      const rng = new Rng(c.seed);
      expect(c.buttonsExcluding3.map(() => rng.button(3))).toEqual(c.buttonsExcluding3);
    });
  }
});

describe('classic round window', () => {
  it('follows the table of GAME_RULES.md', () => {
    const levels = Array.from({ length: 13 }, (_, i) => classicWindow(i + 1));
    expect(levels).toEqual([3000, 2900, 2700, 2500, 2300, 2100, 2000, 1800, 1600, 1400, 1200, 1200, 1200]);
  });
});

describe('replay', () => {
  for (const c of vectors.replays) {
    it(`${c.name} matches the vector`, () => {
      expect(withoutReason(replay(c.mode, c.seed, c.presses, c.endedAt))).toEqual(c.expected);
    });
  }

  it('gives a reason when it rejects', () => {
    const bot = vectors.replays.find((c) => c.expected.verdict === 'rejected');
    expect(bot).toBeDefined();
    if (!bot) return;
    expect(replay(bot.mode, bot.seed, bot.presses, bot.endedAt).reason).toMatch(/faster/);
  });

  it('rejects malformed submissions', () => {
    expect(replay('classic', 1, [{ t: 500, button: 1 }, { t: 400, button: 2 }], 1000).verdict).toBe('rejected');
    expect(replay('classic', 1, [{ t: 500, button: 11 }], 1000).verdict).toBe('rejected');
    expect(replay('classic', 1, [{ t: 1500, button: 1 }], 1000).verdict).toBe('rejected');
    expect(replay('classic', 1, [{ t: 1.5, button: 1 }], 1000).verdict).toBe('rejected');
    expect(replay('memory', 1, [], -1).verdict).toBe('rejected');
  });
});

describe('incremental engine', () => {
  for (const c of vectors.replays) {
    it(`${c.name}: press by press, with timers on time, equals the replay`, () => {
      expect(withoutReason(playLive(c, 0).result)).toEqual(c.expected);
    });
    it(`${c.name}: press by press, with late timers, equals the replay`, () => {
      expect(withoutReason(playLive(c, 7).result)).toEqual(c.expected);
    });
  }

  it('ends with exactly one "over" event, at endedAt', () => {
    for (const c of vectors.replays) {
      const { events } = playLive(c, 3);
      const overs = events.filter((e) => e.type === 'over');
      expect(overs, c.name).toHaveLength(1);
      expect(overs[0]?.t, c.name).toBe(c.expected.endedAt);
    }
  });

  it('classic: lights a button at t=0 and times out at the deadline', () => {
    const g = new Game('classic', 42);
    const first = g.snapshot();
    expect(first.phase).toBe('lit');
    expect(first.lit).toBe(new Rng(42).button(null));
    expect(g.nextChangeAt()).toBe(3000);
    expect(g.advance(2999)).toEqual([]);
    expect(g.advance(3000)).toEqual([{ type: 'timeout', t: 3000 }]);
    const s = g.snapshot();
    expect(s).toMatchObject({ phase: 'locked', lit: null, lives: 2, rounds: 1, roundStart: 3400, deadline: 6400 });
    expect(g.press(3399, s.lit ?? 0)).toEqual([]); // locked: ignored
    expect(g.advance(3400)).toEqual([{ type: 'round', t: 3400 }]);
    expect(g.snapshot().phase).toBe('lit');
  });

  it('classic: a wrong press keeps the round and its deadline', () => {
    const g = new Game('classic', 7);
    const lit = g.snapshot().lit ?? 0;
    expect(g.press(500, (lit + 1) % 11)).toEqual([{ type: 'miss', t: 500 }]);
    expect(g.snapshot()).toMatchObject({ phase: 'lit', lit, lives: 2, deadline: 3000 });
    expect(g.press(900, lit)).toEqual([{ type: 'hit', t: 900, points: 12, fast: false }]);
    expect(g.snapshot()).toMatchObject({ phase: 'locked', roundStart: 1250, deadline: 4250, combo: 1, score: 12 });
  });

  it('classic: a correct press within 100 ms of the round start counts as fast', () => {
    const g = new Game('classic', 7);
    const lit = g.snapshot().lit ?? 0;
    expect(g.press(99, lit)[0]).toMatchObject({ type: 'hit', fast: true });
    expect(g.snapshot().fastPresses).toBe(1);
  });

  it('memory: shows the sequence step by step, then unlocks', () => {
    const g = new Game('memory', 0);
    const first = new Rng(0).button(null);
    expect(g.snapshot()).toMatchObject({ phase: 'locked', lit: null, length: 1 });
    const changes: number[] = [];
    for (let next = g.nextChangeAt(); next !== null; next = g.nextChangeAt()) {
      changes.push(next);
      g.advance(next);
      if (next === 350) expect(g.snapshot()).toMatchObject({ phase: 'showing', lit: first, shownStep: 1 });
      if (next === 1000) expect(g.snapshot()).toMatchObject({ phase: 'showing', lit: null });
    }
    expect(changes).toEqual([350, 1000, 1250, 1370]);
    expect(g.snapshot()).toMatchObject({ phase: 'input', unlockAt: 1370 });
    const events = g.press(1500, first);
    expect(events).toEqual([{ type: 'complete', t: 1500, points: 38, level: 2, fast: false }]);
    expect(g.snapshot()).toMatchObject({ phase: 'locked', length: 2, showAt: 2400, unlockAt: 2400 + 2 * 900 + 120 });
  });

  it('memory: a wrong press costs a life and replays the same sequence', () => {
    const g = new Game('memory', 0);
    const first = new Rng(0).button(null);
    g.advance(1370);
    expect(g.press(1400, (first + 1) % 11)).toEqual([{ type: 'miss', t: 1400 }]);
    expect(g.snapshot()).toMatchObject({ phase: 'locked', lives: 2, length: 1, showAt: 2100, unlockAt: 3120, entered: 0 });
    expect(g.press(2200, first)).toEqual([{ type: 'show', t: 2100, length: 1 }]); // still showing: the press is ignored
    expect(g.snapshot()).toMatchObject({ phase: 'showing', lit: first, entered: 0, lives: 2 });
    expect(g.advance(2100)).toEqual([]); // time never goes back
  });

  it('quits at the given time and ignores presses afterwards', () => {
    const g = new Game('classic', 3);
    expect(g.finish(1234)).toEqual([{ type: 'over', t: 1234, cause: 'quit' }]);
    expect(g.snapshot()).toMatchObject({ phase: 'over', endedAt: 1234, lives: 3 });
    expect(g.press(1300, 0)).toEqual([]);
    expect(g.nextChangeAt()).toBeNull();
  });
});
