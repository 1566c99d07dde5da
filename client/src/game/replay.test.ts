import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test/fakeClock';
import { sharedVectors, type ReplayCase } from '../test/vectors';
import { ReplayPlayer } from './replay';

const vectors = sharedVectors.replays;
const vector = (name: string) => vectors.find((v) => v.name === name)!;

function playerFor(c: ReplayCase, clock: FakeClock): ReplayPlayer {
  return new ReplayPlayer({ mode: c.mode, seed: c.seed, presses: c.presses, endedAt: c.endedAt }, clock);
}

describe('ReplayPlayer', () => {
  it('plays every shared vector to the numbers the rules give, in the game time', () => {
    for (const c of vectors) {
      const clock = new FakeClock();
      const p = playerFor(c, clock);
      p.play();
      clock.tick(c.expected.endedAt - 1);
      expect(p.getState().done, c.name).toBe(c.expected.endedAt === 0 && c.endedAt === 0);
      clock.tick(c.endedAt + 1000);
      const s = p.getState();
      expect(s.done, c.name).toBe(true);
      expect(s.playing).toBe(false);
      expect({ score: s.snapshot.score, level: s.snapshot.level, lives: s.snapshot.lives }, c.name).toEqual({
        score: c.expected.score,
        level: c.expected.level,
        lives: c.expected.lives,
      });
      p.dispose();
      expect(clock.pending, `${c.name}: timers left after dispose`).toBe(0);
    }
  });

  it('shows the lit button and flashes each press green or red', () => {
    const c = vector('v-classic-0-played');
    const clock = new FakeClock();
    const p = playerFor(c, clock);
    p.play();
    expect(p.getState().snapshot.lit).not.toBeNull(); // the first round lights at once
    clock.tick(c.presses[0]!.t);
    expect(p.getState().flash).toMatchObject({ button: c.presses[0]!.button, kind: 'correct' });
    clock.tick(400);
    expect(p.getState().flash).toBeNull();
  });

  it('runs twice as fast at 2x, and pause stops the game time', () => {
    const c = vector('v-classic-1-played');
    const clock = new FakeClock();
    const p = playerFor(c, clock);
    p.setSpeed(2);
    p.play();
    clock.tick(1000);
    expect(p.getState().now).toBeGreaterThan(2000 - 2 * 250); // redrawn at least every 250 ms
    p.pause(); // shows the very moment it was paused at
    expect(p.getState().now).toBe(2000);
    clock.tick(5000);
    expect(p.getState().now).toBe(2000);
    expect(clock.pending).toBe(0);
    p.setSpeed(1);
    p.play();
    clock.tick(1000);
    p.pause();
    expect(p.getState().now).toBe(3000);
    p.play();
    clock.tick(c.endedAt);
    expect(p.getState()).toMatchObject({ done: true, playing: false, now: c.endedAt });
  });

  it('restarts from the beginning, and play after the end plays again', () => {
    const c = vector('v-classic-0-quit');
    const clock = new FakeClock();
    const p = playerFor(c, clock);
    p.play();
    clock.tick(c.endedAt + 100);
    expect(p.getState().done).toBe(true);
    p.play();
    expect(p.getState()).toMatchObject({ done: false, now: 0, playing: true });
    expect(p.getState().snapshot.score).toBe(0);
    clock.tick(1500);
    p.restart();
    expect(p.getState()).toMatchObject({ now: 0, playing: true });
    clock.tick(c.endedAt + 100);
    expect(p.getState().snapshot.score).toBe(c.expected.score);
  });
});
