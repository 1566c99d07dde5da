import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Game, RULES_VERSION, replay, resultOf, type Mode, type Press, type ReplayResult } from './index';

// The rule edges the shared vectors do not pin (a timeout exactly at endedAt,
// a press exactly at the deadline, too fast strictly under 100 ms, the memory
// reaction from the later of unlock and previous press). The Go replay tests
// read the same file, in place: client/../microservices/games/replay/testdata.
const edgePath = fileURLToPath(new URL('../../../microservices/games/replay/testdata/edge-vectors.json', import.meta.url));

interface EdgeCase {
  name: string;
  rule: string;
  mode: Mode;
  seed: number;
  presses: Press[];
  endedAt: number;
  expected: Omit<ReplayResult, 'reason'>;
}
const edges = JSON.parse(readFileSync(edgePath, 'utf8')) as { rulesVersion: number; replays: EdgeCase[] };

function withoutReason(r: ReplayResult): Omit<ReplayResult, 'reason'> {
  const { reason: _reason, ...rest } = r;
  return rest;
}

describe('rule-edge vectors', () => {
  it('are for this rules version and each says which rule it pins', () => {
    expect(edges.rulesVersion).toBe(RULES_VERSION);
    expect(edges.replays.length).toBeGreaterThan(0);
    for (const c of edges.replays) expect(c.rule, c.name).not.toBe('');
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
