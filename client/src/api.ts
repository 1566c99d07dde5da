// The HTTP contract of /shared/API.md, typed. Same origin, every path under
// /api. Errors are thrown as ApiError: `status` 0 means the network failed (or
// the answer was not the JSON the contract promises), otherwise it is the HTTP
// status with the problem+json body when there is one.

import type { Mode, Press } from './rules';

export type { Mode, Press };
export type Period = 'all' | 'day' | 'week' | 'challenge';
export type Locale = 'es' | 'en';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** gameId: the game a conflict is about (a daily challenge already started: the first game). */
  gameId?: string;
}

export interface PlayerStats {
  gamesPlayed: number;
  bestScore: { classic: number; memory: number };
  lastPlayedAt?: string | null;
  achievements: number;
}

export interface Player {
  id: string;
  nickname: string;
  locale?: Locale;
  createdAt: string;
  stats?: PlayerStats;
}

/** TokenPair is a session's next step: a short-lived access token and the refresh token that renews it. */
export interface TokenPair {
  token: string;
  tokenExpiresAt: string;
  refreshToken: string;
}

export interface Registration extends TokenPair {
  player: Player;
}

export interface RecoveryCode {
  recoveryCode: string;
  createdAt: string;
}

export interface RecoveryInfo {
  createdAt: string;
  lastUsedAt: string | null;
}

export interface StartedGame {
  gameId: string;
  mode: Mode;
  seed: number;
  rulesVersion: number;
  startedAt: string;
  /** challenge: the daily challenge this game is, {"id": "daily-2026-12-01"}. */
  challenge?: { id: string };
}

/** GameView is GET /api/games/{gameId}: the game, with its result once finished. */
export interface GameView extends StartedGame {
  status: 'started' | 'finished';
  result?: GameResult;
}

/** ChallengeKind is what POST /api/games takes as "challenge". */
export type ChallengeKind = 'daily';

export interface GameResult {
  gameId: string;
  mode: Mode;
  /** held: valid, but not plausibly a person's; under review, on no board until an operator clears it. */
  status: 'accepted' | 'held' | 'rejected';
  reason?: string;
  score: number;
  level: number;
  lives: number;
  maxCombo: number;
  rounds: number;
  endedAt: number;
}

/** GameReplay is what GET /api/games/{gameId}/replay answers for an accepted game: enough to play it back. */
export interface GameReplay {
  gameId: string;
  mode: Mode;
  seed: number;
  presses: Press[];
  endedAt: number;
  playerId: string;
  nickname: string;
  score: number;
}

export interface Entry {
  rank: number;
  playerId: string;
  nickname: string;
  score: number;
  level: number;
  gameId: string;
  achievedAt: string;
}

export interface LeaderboardPage {
  mode: Mode;
  period: Period;
  periodKey: string;
  entries: Entry[];
  nextCursor?: string;
}

export interface PlayerRank {
  entry: Entry;
  neighbors: Entry[];
}

export interface Achievement {
  id: string;
  name: Record<Locale, string>;
  description: Record<Locale, string>;
}

export interface UnlockedAchievement {
  id: string;
  unlockedAt: string;
  gameId: string;
}

export type TipType = 'tip' | 'bonus' | 'lore' | 'status';

export interface Tip {
  id: string;
  type: TipType;
  lang: Locale;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  /** retryAfterMs is the server's Retry-After, if it sent one. */
  readonly retryAfterMs: number | null;

  constructor(status: number, message: string, problem: Problem | null = null, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfterMs = retryAfterMs;
  }

  /** retryable: the request may succeed later unchanged (network, timeouts, 5xx, throttling). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }

  /** detail is the best text to show a person. */
  get detail(): string {
    return this.problem?.detail || this.problem?.title || this.message;
  }
}

interface RequestOptions {
  body?: unknown;
  token?: string | null;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** cache is the fetch cache mode: 'no-cache' revalidates a cached public answer (If-None-Match) instead of reusing it. */
  cache?: RequestCache;
}

const REQUEST_TIMEOUT_MS = 15000;

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let url = path;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    if (s) url += `?${s}`;
  }
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), REQUEST_TIMEOUT_MS);
  const abort = () => timeout.abort();
  opts.signal?.addEventListener('abort', abort);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: timeout.signal,
      cache: opts.cache,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, `network error: ${(err as Error).message || 'fetch failed'}`);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', abort);
  }

  const type = res.headers.get('Content-Type') ?? '';
  const json = type.includes('json');
  if (!res.ok) {
    let problem: Problem | null = null;
    if (json) {
      try {
        problem = (await res.json()) as Problem;
      } catch {
        problem = null;
      }
    }
    const after = Number(res.headers.get('Retry-After'));
    throw new ApiError(res.status, problem?.title || `${res.status} ${res.statusText}`.trim(), problem, after > 0 ? after * 1000 : null);
  }
  if (res.status === 204) return undefined as T;
  if (!json) {
    // e.g. a static server answering an unknown /api path with index.html:
    // the route is not there yet.
    throw new ApiError(res.status === 200 ? 404 : res.status, `${method} ${path}: not a JSON answer`);
  }
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(0, `${method} ${path}: malformed JSON`);
  }
}

const seg = encodeURIComponent;

export const api = {
  createPlayer: (body: { nickname?: string; locale?: Locale }) =>
    request<Registration>('POST', '/api/players', { body }),
  me: (token: string) => request<Player>('GET', '/api/players/me', { token }),
  updateMe: (token: string, body: { nickname?: string; locale?: Locale }) =>
    request<Player>('PATCH', '/api/players/me', { token, body }),
  player: (playerId: string) => request<Player>('GET', `/api/players/${seg(playerId)}`),
  renewToken: (refreshToken: string) => request<TokenPair>('POST', '/api/players/me/token', { body: { refreshToken } }),
  /** exchangeOldToken turns a 30-day token of before sessions into a session. */
  exchangeOldToken: (oldToken: string) => request<TokenPair>('POST', '/api/players/me/token', { token: oldToken }),
  newRecoveryCode: (token: string) => request<RecoveryCode>('POST', '/api/players/me/recovery', { token }),
  recoveryInfo: (token: string) => request<RecoveryInfo>('GET', '/api/players/me/recovery', { token }),
  recover: (recoveryCode: string) => request<Registration>('POST', '/api/players/recovery', { body: { recoveryCode } }),

  startGame: (token: string, mode: Mode, challenge?: ChallengeKind) =>
    request<StartedGame>('POST', '/api/games', { token, body: challenge ? { mode, challenge } : { mode } }),
  game: (token: string, gameId: string) => request<GameView>('GET', `/api/games/${seg(gameId)}`, { token }),
  submitResult: (token: string, gameId: string, presses: Press[], endedAt: number) =>
    request<GameResult>('POST', `/api/games/${seg(gameId)}/result`, { token, body: { presses, endedAt } }),
  replay: (gameId: string, signal?: AbortSignal) => request<GameReplay>('GET', `/api/games/${seg(gameId)}/replay`, { signal }),

  leaderboard: (mode: Mode, period: Period, limit = 10, signal?: AbortSignal) =>
    request<LeaderboardPage>('GET', `/api/leaderboards/${mode}`, { query: { period, limit }, signal }),
  playerRank: (mode: Mode, playerId: string, period: Period, around = 2, signal?: AbortSignal, cache?: RequestCache) =>
    request<PlayerRank>('GET', `/api/leaderboards/${mode}/players/${seg(playerId)}`, { query: { period, around }, signal, cache }),

  achievements: () => request<Achievement[]>('GET', '/api/achievements'),
  playerAchievements: (playerId: string) =>
    request<UnlockedAchievement[]>('GET', `/api/achievements/players/${seg(playerId)}`),

  randomTip: (lang: Locale) => request<Tip>('GET', '/api/tips/random', { query: { lang } }),
};

export type Api = typeof api;
