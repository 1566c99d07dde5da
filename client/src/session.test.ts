// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type Player, type Registration, type TokenPair } from './api';
import { PLAYER_KEY, PlayerSession, RENEW_BEFORE_MS, SESSION_KEY, SessionRefused, type SessionDeps, type StoredSession } from './session';
import { FakeClock, flush } from './test/fakeClock';

const MIN = 60_000;

/** jwt is a token shaped like the server's: its payload says who and how long. */
function jwt(sub: string, n: number, lifetimeMs = 15 * MIN): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const iat = 1_700_000_000;
  return `${b64({ alg: 'EdDSA', kid: 'k' })}.${b64({ sub, iat, exp: iat + lifetimeMs / 1000, n })}.sig`;
}

const ana: Player = { id: 'p1', nickname: 'Ana', locale: 'es', createdAt: '2026-11-21T00:00:00Z' };

/** fakeServer is the players API as far as sessions go: one player, rotating refresh tokens. */
function fakeServer() {
  let n = 0;
  let refresh = '';
  const server = {
    registrations: 0,
    renewals: 0,
    refuse: false,
    limited: 0,
    player: { ...ana },
    pair(): TokenPair {
      n++;
      refresh = `refresh-${n}`;
      return { token: jwt(server.player.id, n), tokenExpiresAt: '', refreshToken: refresh };
    },
    api: {
      createPlayer: vi.fn(async (): Promise<Registration> => {
        if (server.limited > 0) {
          server.limited--;
          throw new ApiError(429, 'Too many new players', { type: 't', title: 'x', status: 429 }, 5 * MIN);
        }
        server.registrations++;
        return { player: server.player, ...server.pair() };
      }),
      me: vi.fn(async (token: string): Promise<Player> => {
        if (!token.startsWith('ey')) throw new ApiError(401, 'no');
        return server.player;
      }),
      updateMe: vi.fn(async (_t: string, body: { nickname?: string }): Promise<Player> => ({ ...server.player, ...body })),
      exchangeOldToken: vi.fn(async (old: string): Promise<TokenPair> => {
        if (old !== 'an-old-hs256-token') throw new ApiError(401, 'Session not renewed');
        return server.pair();
      }),
      renewToken: vi.fn(async (token: string): Promise<TokenPair> => {
        await Promise.resolve();
        if (server.refuse || token !== refresh) throw new ApiError(401, 'Session not renewed', { type: 'refresh-refused', title: 'x', status: 401 });
        server.renewals++;
        return server.pair();
      }),
      recover: vi.fn(async (code: string): Promise<Registration> => {
        if (code !== 'GOOD-CODE') throw new ApiError(401, 'Recovery code not valid');
        return { player: { ...server.player, id: 'p-recovered', nickname: 'Moved' }, ...server.pair() };
      }),
      newRecoveryCode: vi.fn(async () => ({ recoveryCode: 'GOOD-CODE', createdAt: 'now' })),
      recoveryInfo: vi.fn(async () => ({ createdAt: 'now', lastUsedAt: null })),
    },
  };
  return server;
}

/** sharedLock is one Web Lock for every "tab" of the test. */
function sharedLock(): NonNullable<SessionDeps['locks']> {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request: <T>(_name: string, fn: () => Promise<T>) => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => {});
      return run;
    },
  };
}

let clock: FakeClock;
let server: ReturnType<typeof fakeServer>;
let locks: NonNullable<SessionDeps['locks']>;

function tab(): PlayerSession {
  return new PlayerSession(() => 'es', { api: server.api, clock, now: () => clock.now(), locks });
}

function stored(): StoredSession {
  return JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as StoredSession;
}

/** otherTabWrote delivers the storage event a write in another tab fires here. */
function otherTabWrote(key: string) {
  window.dispatchEvent(new StorageEvent('storage', { key, newValue: localStorage.getItem(key) }));
}

async function tick(ms: number) {
  clock.tick(ms);
  for (let i = 0; i < 5; i++) await flush();
}

beforeEach(() => {
  localStorage.clear();
  clock = new FakeClock();
  server = fakeServer();
  locks = sharedLock();
});

describe('PlayerSession', () => {
  it('registers once when two tabs open at once on a first visit', async () => {
    const [a, b] = [tab(), tab()];
    const [sa, sb] = await Promise.all([a.ensure(), b.ensure()]);
    expect(server.registrations).toBe(1);
    expect(sa?.player.id).toBe('p1');
    expect(sb?.player.id).toBe('p1');
    expect(sb?.token).toBe(sa?.token);
    expect(stored()).toMatchObject({ playerId: 'p1', refreshToken: 'refresh-1' });
  });

  it('renews the access token before it expires, and on its own clock', async () => {
    const s = tab();
    const first = (await s.ensure())?.token;
    await tick(15 * MIN - RENEW_BEFORE_MS - 1000);
    expect(server.renewals).toBe(0);
    await tick(2000);
    expect(server.renewals).toBe(1);
    expect(s.getState().token).not.toBe(first);
    expect(stored().refreshToken).toBe('refresh-2');
    await tick(15 * MIN);
    expect(server.renewals).toBe(2);
  });

  it('renews once on a 401 and retries the call', async () => {
    const s = tab();
    await s.ensure();
    let calls = 0;
    const result = await s.authorized(async (token) => {
      calls++;
      if (calls === 1) throw new ApiError(401, 'expired');
      return token;
    });
    expect(calls).toBe(2);
    expect(server.renewals).toBe(1);
    expect(result).toBe(s.getState().token);
    // A second 401 after the renewal is the call's own answer.
    await expect(s.authorized(async () => Promise.reject(new ApiError(401, 'again')))).rejects.toMatchObject({ status: 401 });
  });

  it('never registers a new player behind the back of one whose renewal is refused', async () => {
    const s = tab();
    await s.ensure();
    server.refuse = true;
    await expect(s.authorized(async () => Promise.reject(new ApiError(401, 'expired')))).rejects.toBeInstanceOf(SessionRefused);
    expect(s.getState().status).toBe('signedOut');
    expect(await s.ensure()).toBeNull();
    expect(server.registrations).toBe(1);
    // Only when the player chooses to.
    server.refuse = false;
    server.player = { ...ana, id: 'p2', nickname: 'Fresh' };
    const fresh = await s.startFresh();
    expect(fresh?.player.nickname).toBe('Fresh');
    expect(server.registrations).toBe(2);
  });

  it('uses one refresh token once when two tabs renew at the same moment', async () => {
    const [a, b] = [tab(), tab()];
    await a.ensure();
    await b.ensure();
    const expired = a.getState().token ?? '';
    const fail = async (token: string) => {
      if (token === expired) throw new ApiError(401, 'expired');
      return token;
    };
    const [ta, tb] = await Promise.all([a.authorized(fail), b.authorized(fail)]);
    expect(server.renewals).toBe(1);
    expect(ta).toBe(tb);
    expect(a.getState().status).toBe('ready');
    expect(b.getState().status).toBe('ready');
  });

  it('follows a rename and a renewal made in another tab', async () => {
    const [a, b] = [tab(), tab()];
    await a.ensure();
    await b.ensure();
    server.player = { ...ana, nickname: 'Renamed' };
    await a.rename('Renamed');
    otherTabWrote(PLAYER_KEY);
    expect(b.getState().player?.nickname).toBe('Renamed');
    await a.authorized(async (t) => (t === b.getState().token ? Promise.reject(new ApiError(401, 'x')) : t));
    otherTabWrote(SESSION_KEY);
    expect(b.getState().token).toBe(a.getState().token);
  });

  it('waits as the server asks when registering is limited, then registers', async () => {
    server.limited = 1;
    const s = tab();
    expect(await s.ensure()).toBeNull();
    expect(s.getState().status).toBe('limited');
    expect(s.getState().retryAt).toBe(clock.now() + 5 * MIN);
    await tick(5 * MIN);
    expect(s.getState().status).toBe('ready');
    expect(server.registrations).toBe(1);
  });

  it('exchanges the 30-day token of an older version for a session of the same player', async () => {
    localStorage.setItem('lightpress.token', 'an-old-hs256-token');
    const s = tab();
    const signed = await s.ensure();
    expect(signed?.player.id).toBe('p1');
    expect(stored()).toMatchObject({ playerId: 'p1', refreshToken: 'refresh-1' });
    expect(localStorage.getItem('lightpress.token')).toBeNull();
    expect(server.registrations).toBe(0);
  });

  it('tells the player of an old token the server refuses instead of replacing it silently', async () => {
    localStorage.setItem('lightpress.token', 'an-expired-old-token');
    const s = tab();
    expect(await s.ensure()).toBeNull();
    expect(s.getState().status).toBe('signedOut');
    expect(server.registrations).toBe(0);
  });

  it('signs every tab in as the player of a recovery code', async () => {
    const [a, b] = [tab(), tab()];
    await a.ensure();
    await b.ensure();
    await expect(a.recover('BAD')).rejects.toBeInstanceOf(ApiError);
    expect(a.getState().player?.id).toBe('p1');
    const moved = await a.recover('GOOD-CODE');
    expect(moved.nickname).toBe('Moved');
    expect(stored().playerId).toBe('p-recovered');
    expect(a.storedRecoveryCode()).toBe('GOOD-CODE');
    otherTabWrote(SESSION_KEY);
    otherTabWrote(PLAYER_KEY);
    await tick(0);
    expect(b.getState().player?.nickname).toBe('Moved');
  });

  it('keeps the session when the server cannot be reached', async () => {
    const s = tab();
    await s.ensure();
    server.api.renewToken.mockImplementationOnce(async () => Promise.reject(new ApiError(0, 'network')));
    await expect(s.authorized(async () => Promise.reject(new ApiError(401, 'x')))).rejects.toMatchObject({ status: 0 });
    expect(s.getState().status).toBe('offline');
    expect(stored()).not.toBeNull();
  });
});
