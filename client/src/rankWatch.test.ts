import { describe, expect, it, vi } from 'vitest';
import { ApiError, type Entry, type Period, type PlayerRank } from './api';
import type { ResultView } from './game/controller';
import { RANK_POLL_DELAYS, RankWatch, type RankState } from './rankWatch';
import { resultCardData } from './resultCard';
import { FakeClock, flush } from './test/fakeClock';

const entry = (rank: number, score: number, gameId: string): Entry => ({ rank, playerId: 'p1', nickname: 'Neon', score, level: 2, gameId, achievedAt: 'x' });
const notThere = () => Promise.reject(new ApiError(404, 'Not Found', { type: 'about:blank', title: 'Not Found', status: 404 }));

async function tick(clock: FakeClock, ms: number) {
  clock.tick(ms);
  await flush();
}

describe('RankWatch', () => {
  it('polls until each board shows the game, then stops', async () => {
    const clock = new FakeClock();
    const boards: Record<Period, PlayerRank | null> = { day: null, all: null, week: null, challenge: null };
    const standing = vi.fn((_m: string, _p: string, period: Period) => (boards[period] ? Promise.resolve(boards[period]!) : notThere()));
    const w = new RankWatch({ clock, standing });
    w.watch('p1', 'g2', 'classic', 120);
    expect(w.getState()).toEqual({ gameId: 'g2', day: { status: 'waiting' }, all: { status: 'waiting' } });
    await tick(clock, RANK_POLL_DELAYS[0]!);
    expect(w.getState().day.status).toBe('waiting');
    boards.day = { entry: entry(3, 120, 'g2'), neighbors: [] };
    boards.all = { entry: entry(9, 80, 'g1'), neighbors: [] }; // the old best: not there yet
    await tick(clock, RANK_POLL_DELAYS[1]!);
    expect(w.getState().day).toEqual({ status: 'ranked', rank: 3, score: 120, gameId: 'g2' });
    expect(w.getState().all.status).toBe('waiting');
    boards.all = { entry: entry(7, 120, 'g2'), neighbors: [] };
    await tick(clock, RANK_POLL_DELAYS[2]!);
    expect(w.getState().all).toEqual({ status: 'ranked', rank: 7, score: 120, gameId: 'g2' });
    const calls = standing.mock.calls.length;
    await tick(clock, 60000);
    expect(standing.mock.calls.length).toBe(calls);
    expect(clock.pending).toBe(0);
  });

  it("watches the daily challenge's board too for a challenge game", async () => {
    const clock = new FakeClock();
    const periods: Period[] = [];
    const standing = vi.fn((_m: string, _p: string, period: Period) => {
      periods.push(period);
      return Promise.resolve({ entry: entry(period === 'challenge' ? 2 : 5, 90, 'c1'), neighbors: [] });
    });
    const w = new RankWatch({ clock, standing });
    w.watch('p1', 'c1', 'classic', 90, true);
    expect(w.getState().challenge?.status).toBe('waiting');
    await tick(clock, RANK_POLL_DELAYS[0]!);
    expect(w.getState()).toMatchObject({ day: { rank: 5 }, all: { rank: 5 }, challenge: { status: 'ranked', rank: 2, gameId: 'c1' } });
    expect(periods.sort()).toEqual(['all', 'challenge', 'day']);
    expect(clock.pending).toBe(0);
  });

  it('is settled at once by a board whose best is at least this score (no new personal best)', async () => {
    const clock = new FakeClock();
    const w = new RankWatch({ clock, standing: async () => ({ entry: entry(2, 300, 'old'), neighbors: [] }) });
    w.watch('p1', 'g3', 'memory', 300); // a tie keeps the earlier score
    await tick(clock, RANK_POLL_DELAYS[0]!);
    expect(w.getState().all).toEqual({ status: 'ranked', rank: 2, score: 300, gameId: 'old' });
  });

  it('gives up after the last poll: the rank is "later"', async () => {
    const clock = new FakeClock();
    const w = new RankWatch({ clock, standing: notThere });
    w.watch('p1', 'g4', 'classic', 10);
    await tick(clock, RANK_POLL_DELAYS.reduce((a, b) => a + b, 0));
    expect(w.getState()).toMatchObject({ day: { status: 'unknown' }, all: { status: 'unknown' } });
  });

  it('a new game drops the watch of the last one', async () => {
    const clock = new FakeClock();
    const standing = vi.fn(async () => ({ entry: entry(1, 50, 'g5'), neighbors: [] }));
    const w = new RankWatch({ clock, standing });
    w.watch('p1', 'g5', 'classic', 50);
    w.clear();
    await tick(clock, 60000);
    expect(standing).not.toHaveBeenCalled();
    expect(w.getState().gameId).toBeNull();
  });
});

describe('resultCardData', () => {
  const server = { gameId: 'g2', mode: 'classic' as const, status: 'accepted' as const, score: 120, level: 3, lives: 0, maxCombo: 6, rounds: 9, endedAt: 9000 };
  const accepted: ResultView = { status: 'accepted', gameId: 'g2', localScore: 120, server };
  const ranked = (rank: number, score: number, gameId: string) => ({ status: 'ranked' as const, rank, score, gameId });
  const waiting: RankState = { gameId: 'g2', day: { status: 'waiting' }, all: { status: 'waiting' } };

  it('accepted: the server score, the ranks as they come, and a new personal best when the all-time entry is this game', () => {
    const reaction = { count: 8, averageMs: 420, bestMs: 310 };
    expect(resultCardData(accepted, waiting, reaction, 3)).toMatchObject({ score: 120, confirmed: true, best: null, day: { status: 'waiting' }, reaction, shareable: true });
    const mine = { gameId: 'g2', day: ranked(1, 120, 'g2'), all: ranked(4, 120, 'g2') };
    expect(resultCardData(accepted, mine, null, 3)).toMatchObject({ best: { status: 'new' }, day: { rank: 1 }, all: { rank: 4 } });
    const older = { ...mine, all: ranked(2, 200, 'g1') };
    expect(resultCardData(accepted, older, null, 3).best).toEqual({ status: 'old', score: 200 });
  });

  it('ranks of another game, practice and refused games: no rank, no best', () => {
    const other = { gameId: 'g1', day: ranked(1, 9, 'g1'), all: ranked(1, 9, 'g1') };
    expect(resultCardData(accepted, other, null, 3)).toMatchObject({ day: null, all: null, best: null });
    expect(resultCardData({ status: 'practice', localScore: 40 }, other, null, 2)).toMatchObject({
      practice: true, score: 40, confirmed: false, level: 2, day: null, shareable: true,
    });
    const rejected: ResultView = { status: 'rejected', gameId: 'g2', localScore: 90, server: { ...server, status: 'rejected', score: 0, reason: 'clock' } };
    expect(resultCardData(rejected, waiting, null, 2)).toMatchObject({ score: 90, confirmed: false, day: null, shareable: false });
    expect(resultCardData({ status: 'sending', gameId: 'g2', localScore: 120 }, waiting, null, 3)).toMatchObject({ confirmed: false, day: null });
  });
});
