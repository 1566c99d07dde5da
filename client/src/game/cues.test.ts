import { describe, expect, it } from 'vitest';
import { Game, Rng } from '../rules';
import { cuesFor } from './cues';
import { classicReactions, reactionStats } from './reaction';

describe('cuesFor', () => {
  it('memory: a tone for each button of the playback as it lights, and for each correct press', () => {
    const g = new Game('memory', 9);
    let prev = g.snapshot();
    const heard: number[] = [];
    for (let t = 0; t < 1500; t += 50) {
      const events = g.advance(t);
      const next = g.snapshot();
      for (const c of cuesFor(prev, next, events, null)) if (c.type === 'tone') heard.push(c.button);
      prev = next;
    }
    const first = new Rng(9).button(null);
    expect(heard).toEqual([first]);
    const events = g.press(1500, first);
    expect(cuesFor(prev, g.snapshot(), events, first)).toEqual([{ type: 'tone', button: first }, { type: 'level' }]);
  });

  it('a miss buzzes; the last one sounds as the end; a quit is silent', () => {
    const g = new Game('classic', 4);
    const lit = new Rng(4).button(null);
    let prev = g.snapshot();
    const wrong = (lit + 1) % 11;
    let events = g.press(300, wrong);
    expect(cuesFor(prev, g.snapshot(), events, wrong)).toEqual([{ type: 'miss' }]);
    prev = g.snapshot();
    g.press(400, wrong);
    prev = g.snapshot();
    events = g.press(500, wrong);
    expect(cuesFor(prev, g.snapshot(), events, wrong)).toEqual([{ type: 'over' }]);
    const q = new Game('classic', 4);
    expect(cuesFor(q.snapshot(), q.snapshot(), q.finish(100), null)).toEqual([]);
  });
});

describe('reaction times', () => {
  it('are measured from each round start, misses and timeouts left out', () => {
    const rng = new Rng(11);
    const a = rng.button(null);
    const b = rng.button(a);
    // a at 450 (miss at 200 first), timeout-free; b lights at 800 and is hit at 1090.
    const presses = [
      { t: 200, button: (a + 1) % 11 },
      { t: 450, button: a },
      { t: 1090, button: b },
    ];
    expect(classicReactions(11, presses)).toEqual([450, 290]);
    expect(reactionStats([450, 290])).toEqual({ count: 2, averageMs: 370, bestMs: 290 });
    expect(reactionStats([])).toBeNull();
  });
});
