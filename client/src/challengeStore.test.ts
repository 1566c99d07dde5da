// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GameResult, GameView, StartedGame } from './api';
import { CHALLENGE_KEY, ChallengeStore } from './challengeStore';

let now = Date.parse('2026-12-01T18:00:00Z');
const started = (gameId: string, mode: 'classic' | 'memory' = 'classic', day = '2026-12-01'): StartedGame => ({
  gameId,
  mode,
  seed: 1,
  rulesVersion: 1,
  startedAt: `${day}T18:00:00Z`,
  challenge: { id: `daily-${day}` },
});
const result = (gameId: string, score: number, mode: 'classic' | 'memory' = 'classic'): GameResult => ({
  gameId,
  mode,
  status: 'accepted',
  score,
  level: 3,
  lives: 0,
  maxCombo: 4,
  rounds: 9,
  endedAt: 9000,
});

function store(fetchGame: (id: string) => Promise<GameView | null> = async () => null) {
  const s = new ChallengeStore({ now: () => now, fetchGame });
  s.setPlayer('p1');
  return s;
}

beforeEach(() => {
  localStorage.clear();
  now = Date.parse('2026-12-01T18:00:00Z');
});

describe('ChallengeStore', () => {
  it('follows an attempt from its start to its result, and keeps it across reloads', () => {
    const s = store();
    expect(s.getState()).toMatchObject({ day: '2026-12-01', attempts: {} });
    s.started(started('g1'));
    expect(s.getState().attempts.classic).toEqual({ gameId: 'g1' });
    s.finished('other', result('other', 5)); // not the attempt
    s.finished('g1', result('g1', 1542));
    expect(s.getState().attempts.classic).toEqual({ gameId: 'g1', result: { status: 'accepted', score: 1542, level: 3 } });
    expect(store().getState().attempts.classic?.result?.score).toBe(1542);
    expect(JSON.parse(localStorage.getItem(CHALLENGE_KEY) ?? '{}').playerId).toBe('p1');
  });

  it('ignores free games, and forgets the attempts on a new UTC day or for another player', () => {
    const s = store();
    s.started({ ...started('free'), challenge: undefined });
    expect(s.getState().attempts).toEqual({});
    s.started(started('g1'));
    now = Date.parse('2026-12-01T23:59:59Z');
    s.tick();
    expect(s.getState().attempts.classic?.gameId).toBe('g1');
    now = Date.parse('2026-12-02T00:00:01Z');
    s.tick();
    expect(s.getState()).toMatchObject({ day: '2026-12-02', attempts: {} });
    expect(store().getState()).toMatchObject({ day: '2026-12-02', attempts: {} });
    s.started(started('g2', 'memory', '2026-12-01')); // a late answer of yesterday's challenge
    expect(s.getState().attempts).toEqual({});
    s.started(started('g3', 'memory', '2026-12-02'));
    s.setPlayer('p2');
    expect(s.getState()).toMatchObject({ playerId: 'p2', attempts: {} });
  });

  it('after a 409, reads the first game for its result', async () => {
    const fetchGame = vi.fn(async (id: string): Promise<GameView> => ({
      ...started(id, 'memory'),
      status: 'finished',
      result: { ...result(id, 310, 'memory'), status: 'rejected', reason: 'too_fast' },
    }));
    const s = store(fetchGame);
    await s.alreadyPlayed('memory', 'first');
    expect(fetchGame).toHaveBeenCalledWith('first');
    expect(s.getState().attempts.memory).toEqual({ gameId: 'first', result: { status: 'rejected', score: 310, level: 3, reason: 'too_fast' } });
  });

  it('an unfinished or unreadable first game stays an attempt without a result', async () => {
    const s = store(async (id) => ({ ...started(id), status: 'started' }));
    await s.alreadyPlayed('classic', 'first');
    expect(s.getState().attempts.classic).toEqual({ gameId: 'first' });
    const broken = store(() => Promise.reject(new Error('offline')));
    await broken.refresh();
    expect(broken.getState().attempts.classic).toEqual({ gameId: 'first' });
  });

  it("learns a game played on another device from today's board", () => {
    const s = store();
    const entry = { rank: 2, playerId: 'p1', nickname: 'Neon', score: 99, level: 2, gameId: 'elsewhere', achievedAt: '2026-12-01T10:00:00Z' };
    s.onBoard('classic', '2026-11-30', entry); // yesterday's board
    s.onBoard('classic', '2026-12-01', { ...entry, playerId: 'someone' });
    expect(s.getState().attempts).toEqual({});
    s.onBoard('classic', '2026-12-01', entry);
    expect(s.getState().attempts.classic).toEqual({ gameId: 'elsewhere', result: { status: 'accepted', score: 99, level: 2 } });
  });
});
