// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { Rng, replay, type Press } from '../rules';
import { createServices, type Services } from '../services';
import { fakeBackend } from '../test/fakeBackend';
import { FakeClock, flush } from '../test/fakeClock';
import { act, render, type Rendered } from '../test/render';

const player = { id: 'p1', nickname: 'Neon', locale: 'es', createdAt: '2026-11-21T00:00:00Z' };
const SEED = 4242;
const DAY = '2026-12-01';
const entry = (rank: number, playerId: string, score: number, gameId = 'g') => ({ rank, playerId, nickname: playerId, score, level: 1, gameId, achievedAt: `${DAY}T18:00:00Z` });

let view: Rendered | null = null;
let services: Services;
let clock: FakeClock;

beforeEach(() => {
  localStorage.clear();
  clock = new FakeClock();
});
afterEach(() => {
  view?.unmount();
  view = null;
  services?.outbox.dispose();
  services?.controller.dispose();
  vi.unstubAllGlobals();
});

async function mount(lang: 'es' | 'en' = 'es') {
  services = createServices(clock, () => lang, undefined, () => Date.parse(`${DAY}T21:30:00Z`));
  view = render(<App services={services} lang={lang} />, lang);
  await act(async () => {
    await services.session.ensure();
    await flush();
  });
}

const q = (sel: string) => view!.container.querySelector<HTMLElement>(sel);
async function click(el: HTMLElement | null) {
  await act(async () => {
    el?.click();
    await flush();
  });
}

describe('DailyChallenge', () => {
  it("plays today's challenge once, then shows the result, the rank and a share text that spoils nothing", async () => {
    let board: ReturnType<typeof entry>[] = [entry(1, 'rival', 50)];
    const calls = fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'POST /api/games': () => [201, { gameId: 'c1', mode: 'classic', seed: SEED, rulesVersion: 1, startedAt: 'now', challenge: { id: `daily-${DAY}` } }],
      'POST /api/games/c1/result': (b) => {
        const { presses, endedAt } = b as { presses: Press[]; endedAt: number };
        const r = replay('classic', SEED, presses, endedAt);
        board = [entry(1, 'rival', 50), entry(2, 'p1', r.score, 'c1')];
        return [200, { gameId: 'c1', mode: 'classic', status: 'accepted', score: r.score, level: r.level, lives: r.lives, maxCombo: r.maxCombo, rounds: r.rounds, endedAt: r.endedAt }];
      },
      'GET /api/leaderboards/classic': (_, url) =>
        url.searchParams.get('period') === 'challenge'
          ? [200, { mode: 'classic', period: 'challenge', periodKey: DAY, entries: board }]
          : [400, { type: 'x', title: 'want period=challenge', status: 400 }],
      'GET /api/leaderboards/classic/players/p1': () => {
        const mine = board.find((e) => e.playerId === 'p1');
        return mine ? [200, { entry: mine, neighbors: [] }] : [404, { type: 'x', title: 'Not ranked', status: 404 }];
      },
    });
    await mount();
    expect(q('[data-testid="challenge-number"]')?.textContent).toBe('Lightpress #1');
    expect(q('[data-testid="challenge"]')?.textContent).toContain('Nuevo reto en 2 h 30 min.');
    expect(q('[data-testid="challenge-classic"]')?.dataset.state).toBe('none');
    expect(q('[data-testid="challenge-top"] [data-player-id="rival"]')).not.toBeNull();

    await click(q('[data-testid="challenge-play-classic"]'));
    expect(calls.find((c) => c.key === 'POST /api/games')?.body).toEqual({ mode: 'classic', challenge: 'daily' });
    expect(q('[data-testid="challenge-classic"]')?.dataset.state).toBe('playing');
    expect((q('[data-testid="challenge-play-memory"]') as HTMLButtonElement).disabled).toBe(true);

    // Whatever comes before the first light (a ready beat), press it after
    // a human reaction time, then let the lives run out: the result is sent.
    const lit = new Rng(SEED).button(null);
    for (let i = 0; i < 100 && !q('[data-state="lit"]'); i++) act(() => clock.tick(100));
    expect(q('[data-state="lit"]')?.dataset.button).toBe(String(lit));
    act(() => clock.tick(430));
    await click(q(`[data-button="${lit}"]`));
    await act(async () => {
      clock.tick(30_000);
      await flush();
    });
    await act(async () => {
      clock.tick(1000); // the rank watch's first poll
      await flush();
    });
    const row = q('[data-testid="challenge-classic"]');
    expect(row?.dataset.state).toBe('accepted');
    expect(row?.dataset.score).toBe('12');
    expect(row?.textContent).toContain('12 puntos · puesto 2 de hoy');
    expect(q('[data-testid="challenge-share-text-classic"]')?.textContent).toBe('Lightpress #1 · clásico · 12');
    expect(q('[data-testid="challenge-play-classic"]')).toBeNull();

    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, share: undefined, clipboard: { writeText } });
    await click(q('[data-testid="challenge-share-classic"]'));
    expect(writeText).toHaveBeenCalledWith(expect.stringMatching(/^Lightpress #1 · clásico · 12 http/)); // and the link
    expect(q('[data-testid="challenge-share-classic"]')?.textContent).toBe('Copiado');
  });

  it('a second start is refused with the first game, whose result is shown; no practice game starts', async () => {
    const calls = fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'POST /api/games': () => [409, { type: 'x/challenge-played', title: 'Challenge already played', status: 409, detail: 'once a day', gameId: 'first' }],
      'GET /api/games/first': () => [200, {
        gameId: 'first', mode: 'memory', seed: 1, rulesVersion: 1, startedAt: 'then', status: 'finished', challenge: { id: `daily-${DAY}` },
        result: { gameId: 'first', mode: 'memory', status: 'accepted', score: 1542, level: 9, lives: 0, maxCombo: 8, rounds: 8, endedAt: 60000 },
      }],
    });
    await mount('en');
    await click(q('[data-testid="challenge-play-memory"]'));
    await act(async () => {
      await flush();
    });
    expect(calls.filter((c) => c.key === 'POST /api/games')).toHaveLength(1);
    expect(q('[data-testid="status"]')?.textContent).toBe("You've played today's challenge in this mode. Come back tomorrow!");
    expect(q('[data-state="lit"]')).toBeNull();
    expect(q('[data-testid="start"]')?.textContent).toBe('Start');
    expect(q('[data-testid="challenge-memory"]')?.dataset.state).toBe('accepted');
    expect(q('[data-testid="challenge-share-text-memory"]')?.textContent).toBe('Lightpress #1 · memory · 1,542');
  });
});

describe('the leaderboard view', () => {
  it("shows today's challenge board without replays (they open once the day is over)", async () => {
    const board = { mode: 'classic', periodKey: DAY, entries: [entry(1, 'rival', 50)] };
    fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'GET /api/leaderboards/classic': (_, url) => [200, { ...board, period: url.searchParams.get('period') }],
    });
    await mount();
    await click(q('[data-view="leaderboard"]'));
    expect(q('[data-testid="leaderboard-top"] [data-testid="leaderboard-watch"]')).not.toBeNull();
    await click(q('[data-testid="lb-period-challenge"]'));
    expect(q('[data-testid="leaderboard-top"] [data-player-id="rival"]')).not.toBeNull();
    expect(q('[data-testid="leaderboard-top"] [data-testid="leaderboard-watch"]')).toBeNull();
  });
});
