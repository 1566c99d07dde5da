// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBackend } from './test/fakeBackend';
import { App } from './App';
import { BEAT_MS, READY_BEATS } from './game/controller';
import { createServices, type Services } from './services';
import { Rng, replay, type Press } from './rules';
import { FakeClock, flush } from './test/fakeClock';
import { act, render, type Rendered } from './test/render';

const player = { id: 'p1', nickname: 'Neon', locale: 'es', createdAt: '2026-11-21T00:00:00Z', stats: { gamesPlayed: 0, bestScore: { classic: 0, memory: 0 }, achievements: 0 } };
const pair = { token: 'tok-1', tokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(), refreshToken: 'refresh-1' };
const SEED = 99;

let view: Rendered | null = null;
let clock: FakeClock;
let services: Services;

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

async function mount() {
  services = createServices(clock, () => 'es');
  view = render(<App services={services} lang="es" />);
  await act(async () => {
    await services.session.ensure();
    await flush();
  });
}

const q = (sel: string) => view!.container.querySelector<HTMLElement>(sel);
const text = (id: string) => q(`[data-testid="${id}"]`)?.textContent;

async function click(el: HTMLElement | null) {
  await act(async () => {
    el?.click();
    await flush();
  });
}

function key(k: string) {
  act(() => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });
}

describe('App', () => {
  it('registers a guest, plays a classic game from the server seed, and shows the accepted result', async () => {
    const calls = fakeBackend({
      'POST /api/players': () => [201, { player, ...pair }],
      'POST /api/games': () => [201, { gameId: 'g1', mode: 'classic', seed: SEED, rulesVersion: 1, startedAt: 'now' }],
      'POST /api/games/g1/result': (b) => {
        const { presses, endedAt } = b as { presses: Press[]; endedAt: number };
        const r = replay('classic', SEED, presses, endedAt);
        return [200, { gameId: 'g1', mode: 'classic', status: 'accepted', score: r.score, level: r.level, lives: r.lives, maxCombo: r.maxCombo, rounds: r.rounds, endedAt: r.endedAt }];
      },
    });
    await mount();
    expect(JSON.parse(localStorage.getItem('lightpress.session') ?? '{}').token).toBe('tok-1');
    expect(text('nickname')).toBe('Neon');
    expect(text('status')).toBe('Selecciona un modo y presiona iniciar.');

    await click(q('[data-testid="start"]'));
    expect(calls.find((c) => c.key === 'POST /api/games')).toMatchObject({ body: { mode: 'classic' }, auth: 'Bearer tok-1' });
    expect(q('[data-testid="countdown"]')?.dataset.value).toBe('3');
    expect(q('[data-state="lit"]')).toBeNull();
    act(() => clock.tick(READY_BEATS * BEAT_MS));
    expect(q('[data-testid="countdown"]')).toBeNull();
    const lit = new Rng(SEED).button(null);
    expect(q('[data-state="lit"]')?.dataset.button).toBe(String(lit));
    expect(q('[data-testid="start"]')?.textContent).toBe('Reiniciar');

    act(() => clock.tick(450));
    key(lit === 10 ? '-' : String(lit));
    expect(text('score')).toBe('12');
    expect(text('status')).toBe('Correcto +12 puntos.');
    expect(q('[data-state="lit"]')).toBeNull(); // locked between rounds

    act(() => clock.tick(1000));
    await click(q('[data-testid="end"]'));
    const sent = calls.find((c) => c.key === 'POST /api/games/g1/result');
    expect(sent?.body).toEqual({ presses: [{ t: 450, button: lit }], endedAt: 1450 });
    expect(q('[data-testid="result"]')?.dataset.status).toBe('accepted');
    expect(q('[data-testid="result"]')?.dataset.score).toBe('12');
    expect(text('status')).toBe('Partida terminada.');
    expect(q('[data-testid="start"]')?.textContent).toBe('Iniciar');
  });

  it('keeps a result whose upload fails and says it will retry', async () => {
    let up = false;
    fakeBackend({
      'POST /api/players': () => [201, { player, ...pair }],
      'POST /api/games': () => [201, { gameId: 'g2', mode: 'memory', seed: 5, rulesVersion: 1, startedAt: 'now' }],
      'POST /api/games/g2/result': () => (up ? [200, { gameId: 'g2', mode: 'memory', status: 'accepted', score: 0, level: 1, lives: 3, maxCombo: 0, rounds: 0, endedAt: 500 }] : 'network'),
    });
    await mount();
    await click(q('[data-mode="memory"]'));
    expect(text('status')).toBe('Modo memoria seleccionado.');
    await click(q('[data-testid="start"]'));
    act(() => clock.tick(READY_BEATS * BEAT_MS + 500));
    await click(q('[data-testid="end"]'));
    expect(q('[data-testid="result"]')?.dataset.status).toBe('pending');
    expect(text('pending')).toContain('1 resultado(s) pendiente(s)');
    expect(JSON.parse(localStorage.getItem('lightpress.pendingResults') ?? '[]')).toHaveLength(1);

    up = true;
    await act(async () => {
      clock.tick(2000);
      await flush();
    });
    expect(q('[data-testid="result"]')?.dataset.status).toBe('accepted');
    expect(q('[data-testid="pending"]')).toBeNull();
    expect(localStorage.getItem('lightpress.pendingResults')).toBeNull();
  });

  it('plays offline as practice when the server is unreachable', async () => {
    fakeBackend({ 'POST /api/players': () => 'network' });
    await mount();
    await click(q('[data-testid="start"]'));
    expect(text('practice')).toContain('Práctica'); // from the first beat
    act(() => clock.tick(READY_BEATS * BEAT_MS));
    expect(q('[data-state="lit"]')).not.toBeNull();
    await click(q('[data-testid="end"]'));
    expect(q('[data-testid="result"]')?.dataset.status).toBe('practice');
  });

  it('shows the leaderboard with the player highlighted, and degrades when a route is missing', async () => {
    const entry = (rank: number, playerId: string, score: number) => ({ rank, playerId, nickname: playerId, score, level: 1, gameId: 'g', achievedAt: 'x' });
    fakeBackend({
      'POST /api/players': () => [201, { player, ...pair }],
      'GET /api/leaderboards/classic': () => [200, { mode: 'classic', period: 'all', periodKey: 'all', entries: [entry(1, 'x', 90), entry(2, 'p1', 50)] }],
      'GET /api/leaderboards/classic/players/p1': () => [200, { entry: entry(2, 'p1', 50), neighbors: [entry(1, 'x', 90)] }],
    });
    await mount();
    await click(q('[data-view="leaderboard"]'));
    const mine = view!.container.querySelectorAll('[data-testid="leaderboard-top"] [data-me]');
    expect(mine).toHaveLength(1);
    expect((mine[0] as HTMLElement).dataset.score).toBe('50');
    expect(mine[0]?.getAttribute('aria-current')).toBe('true');
    expect(q('[data-testid="leaderboard-mine"]')).not.toBeNull();

    await click(q('[data-testid="lb-mode-memory"]')); // no memory routes: 404s
    expect(text('leaderboard-unavailable')).toBe('La clasificación no está disponible por ahora.');
    expect(text('leaderboard-no-rank')).toBe('Aún no tienes puntuación en esta tabla.');
  });
  it('announces a result pending from an earlier visit that the server then refuses, with the reason', async () => {
    const pending = [{ gameId: 'old', mode: 'classic', token: 'tok-1', presses: [], endedAt: 36000000, localScore: 140, attempts: 2 }];
    localStorage.setItem('lightpress.pendingResults', JSON.stringify(pending));
    fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'POST /api/games/old/result': () => [200, { gameId: 'old', mode: 'classic', status: 'rejected', reason: 'clock', score: 0, level: 0, lives: 0, maxCombo: 0, rounds: 0, endedAt: 0 }],
    });
    await mount();
    await act(async () => {
      await services.outbox.resume();
      await flush();
    });
    expect(q('[data-testid="pending"]')).toBeNull();
    expect(q('[data-testid="refused"] span')?.textContent).toBe(
      'Un resultado pendiente no se guardó (partida de Clásico, 140 puntos): la duración de la partida no cuadra con el reloj del servidor.',
    );
    await click(q('[data-testid="refused"] button'));
    expect(q('[data-testid="refused"]')).toBeNull();
  });

  it('Enter starts a game from the keyboard; Space and Enter during it end nothing', async () => {
    const calls = fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'POST /api/games': () => [201, { gameId: 'g7', mode: 'memory', seed: 3, rulesVersion: 1, startedAt: 'now' }],
    });
    await mount();
    await click(q('[data-mode="memory"]'));
    key('Enter');
    await act(flush);
    expect(q('[data-testid="countdown"]')).not.toBeNull();
    expect(document.activeElement?.id).toBe('board');
    act(() => clock.tick(READY_BEATS * BEAT_MS));
    for (const k of [' ', 'Enter', ' ']) key(k);
    act(() => clock.tick(5000));
    expect(view!.container.querySelector<HTMLElement>('.app')?.dataset.stage).toBe('playing');
    expect(calls.filter((c) => c.key === 'POST /api/games')).toHaveLength(1);
    expect(calls.some((c) => c.key.endsWith('/result'))).toBe(false);
  });

  it('the result card shows the rank on both boards and a new personal best as the boards catch up', async () => {
    let boardsUpdated = false;
    const standing = (url: URL): [number, unknown] =>
      boardsUpdated
        ? [200, { entry: { rank: url.searchParams.get('period') === 'day' ? 1 : 3, playerId: 'p1', nickname: 'Neon', score: 0, level: 1, gameId: 'g8', achievedAt: 'x' }, neighbors: [] }]
        : [404, { type: 'about:blank', title: 'Not Found', status: 404 }];
    fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'POST /api/games': () => [201, { gameId: 'g8', mode: 'classic', seed: 1, rulesVersion: 1, startedAt: 'now' }],
      'POST /api/games/g8/result': () => [200, { gameId: 'g8', mode: 'classic', status: 'accepted', score: 0, level: 1, lives: 3, maxCombo: 0, rounds: 0, endedAt: 300 }],
      'GET /api/leaderboards/classic/players/p1': (_b, url) => standing(url),
    });
    await mount();
    expect(q('[data-testid="howto"]')).not.toBeNull(); // first visit
    await click(q('[data-testid="howto-dismiss"]'));
    expect(q('[data-testid="howto"]')).toBeNull();
    await click(q('[data-testid="start"]'));
    act(() => clock.tick(READY_BEATS * BEAT_MS + 300));
    await click(q('[data-testid="end"]'));
    expect(q('[data-testid="result"]')?.dataset.status).toBe('accepted');
    expect(text('rank-day')).toBe('buscando…');
    await act(async () => {
      clock.tick(1000);
      await flush();
    });
    expect(q('[data-testid="new-best"]')).toBeNull();
    boardsUpdated = true;
    await act(async () => {
      clock.tick(1500);
      await flush();
    });
    expect(text('rank-day')).toBe('#1');
    expect(text('rank-all')).toBe('#3');
    expect(text('new-best')).toBe('★ ¡Nuevo récord personal!');
    await click(q('[data-testid="play-again"]'));
    expect(q('[data-testid="countdown"]')).not.toBeNull();
  });
  it('says "Nombre guardado." when the name really changes', async () => {
    fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'GET /api/players/me': () => [200, player],
      'PATCH /api/players/me': (b) => [200, { ...player, nickname: (b as { nickname: string }).nickname }],
    });
    await mount();
    await click(q('[data-view="profile"]'));
    await click(q('[data-testid="nickname-edit"]'));
    const input = q('[data-testid="nickname-input"]') as HTMLInputElement;
    await act(async () => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setValue.call(input, 'Luz');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await flush();
    });
    await act(async () => {
      input.form!.requestSubmit();
      await flush();
    });
    expect(text('nickname')).toBe('Luz');
    expect(q('.nickname .note--ok')?.textContent).toBe('Nombre guardado.');
    });

  it('says a pending result later answered as held is under review', async () => {
    let up = false;
    fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'POST /api/games': () => [201, { gameId: 'g3', mode: 'classic', seed: SEED, rulesVersion: 1, startedAt: 'now' }],
      'POST /api/games/g3/result': () => (up ? [200, { gameId: 'g3', mode: 'classic', status: 'held', score: 0, level: 1, lives: 3, maxCombo: 0, rounds: 0, endedAt: 400 }] : 'network'),
    });
    await mount();
    await click(q('[data-testid="start"]'));
    act(() => clock.tick(READY_BEATS * BEAT_MS + 400));
    await click(q('[data-testid="end"]'));
    expect(q('[data-testid="result"]')?.dataset.status).toBe('pending');
    up = true;
    await act(async () => {
      clock.tick(2000);
      await flush();
    });
    expect(q('[data-testid="result"]')?.dataset.status).toBe('held');
    expect(text('result')).toContain('Partida en revisión');
    expect(localStorage.getItem('lightpress.pendingResults')).toBeNull();
  });

  it('plays a leaderboard row’s game back in the replay viewer and returns to the row', async () => {
    // Seed 0 lights 2 first: one hit at 500 ms, then the player quits.
    const row = { rank: 1, playerId: 'x', nickname: 'Ana', score: 12, level: 1, gameId: 'g9', achievedAt: 'x' };
    fakeBackend({
      'POST /api/players': () => [201, { player, token: 'tok-1' }],
      'GET /api/leaderboards/classic': () => [200, { mode: 'classic', period: 'all', periodKey: 'all', entries: [row] }],
      'GET /api/games/g9/replay': () => [200, { gameId: 'g9', mode: 'classic', seed: 0, presses: [{ t: 500, button: 2 }], endedAt: 700, playerId: 'x', nickname: 'Ana', score: 12 }],
    });
    await mount();
    await click(q('[data-view="leaderboard"]'));
    const watch = q('[data-testid="leaderboard-watch"]')!;
    expect(watch.getAttribute('aria-label')).toBe('Ver la repetición de la partida de Ana (12 puntos)');
    await click(watch);
    expect(q('#replay-title')?.textContent).toBe('Repetición: Ana');
    await act(async () => {
      clock.tick(1000);
      await flush();
    });
    expect(q('[data-testid="replay-end"]')?.dataset.score).toBe('12');
    await click(q('[data-testid="replay-close"]'));
    expect(q('[data-testid="replay"]')).toBeNull();
    expect(document.activeElement).toBe(q('[data-testid="leaderboard-watch"]'));
  });
});
