import { describe, expect, it } from 'vitest';
import { edgeVectors as edges, withoutReason } from '../test/vectors';
import { Game, RULES_VERSION, replay, resultOf } from './index';

// The rule edges the shared vectors do not pin (a timeout exactly at endedAt,
// a press exactly at the deadline, too fast strictly under 100 ms, the memory
// reaction from the later of unlock and previous press); the Go replay tests
// read the same file.
describe('rule-edge vectors', () => {
  it('are for this rules version and each says which rule it pins', () => {
    expect(edges.rulesVersion).toBe(RULES_VERSION);
    expect(edges.replays.length).toBeGreaterThan(0);
    for (const c of edges.replays) expect(c.rule, c.name).toBeTruthy();
  });

  for (const c of edges.replays) {
    it(`${c.name}: ${c.rule}`, () => {
      expect(withoutReason(replay(c.mode, c.seed, c.presses, c.endedAt))).toEqual(c.expected);
      // The engine as the UI drives it agrees: press by press, then finish.
      const game = new Game(c.mode, c.seed);
      for (const p of c.presses) game.press(p.t, p.button);
      game.finish(c.endedAt);
      expect(withoutReason(resultOf(game))).toEqual(c.expected);
    });
  }
});
