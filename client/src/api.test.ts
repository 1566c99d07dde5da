import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api } from './api';

function respond(status: number, body: unknown, type = 'application/json') {
  return vi.fn(async (_url: string, _init?: RequestInit) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': type } }));
}

describe('api', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends JSON with the bearer token and returns the answer', async () => {
    const fetchMock = respond(201, { gameId: 'g', mode: 'memory', seed: 5, rulesVersion: 1, startedAt: 'x' });
    vi.stubGlobal('fetch', fetchMock);
    const g = await api.startGame('tok', 'memory');
    expect(g.seed).toBe(5);
    const [url, init = {}] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/games');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"mode":"memory"}');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('builds query strings', async () => {
    const fetchMock = respond(200, { mode: 'classic', period: 'week', periodKey: '2026-W47', entries: [] });
    vi.stubGlobal('fetch', fetchMock);
    await api.leaderboard('classic', 'week', 10);
    await api.playerRank('classic', 'p/1', 'day', 2).catch(() => {});
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/leaderboards/classic?period=week&limit=10');
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/leaderboards/classic/players/p%2F1?period=day&around=2');
  });

  it('turns problem+json into an ApiError with the detail', async () => {
    vi.stubGlobal('fetch', respond(400, { type: 't', title: 'Invalid nickname', status: 400, detail: 'nickname: 1 to 24 characters' }, 'application/problem+json'));
    const err = (await api.updateMe('tok', { nickname: '' }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.detail).toBe('nickname: 1 to 24 characters');
    expect(err.retryable).toBe(false);
  });

  it('reports a network failure as status 0, retryable', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const err = (await api.achievements().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.retryable).toBe(true);
  });

  it('treats an HTML page where JSON was expected as a missing route', async () => {
    vi.stubGlobal('fetch', respond(200, '<!doctype html><html></html>', 'text/html'));
    const err = (await api.randomTip('es').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(404);
  });

  it('treats 5xx without a body as retryable', async () => {
    vi.stubGlobal('fetch', respond(502, 'bad gateway', 'text/plain'));
    const err = (await api.submitResult('t', 'g', [], 0).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.retryable).toBe(true);
  });
});
