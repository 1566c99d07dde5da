// PlayerSession is the guest account of this browser. The first visit
// registers it (POST /api/players); later visits and every tab share it
// through localStorage. Access tokens last minutes: the session renews the
// token with its refresh token before it expires, and once more whenever
// the server answers 401. Only when the server refuses the refresh token
// does the player lose the session, and then the page says so plainly and
// lets them enter a recovery code or start as a new player; nothing
// registers a new guest behind their back.
//
// Tabs coordinate: registering and renewing run under one Web Lock, and
// each re-reads the stored session inside it, so two tabs opened at once
// register one player and never use one refresh token twice (which would
// look like a stolen token and close the session). A change made in one
// tab (a renewal, a rename, a recovery) reaches the others through storage
// events. While the server cannot be reached the session is "offline" and
// keeps what it has; ensure() tries again.

import { ApiError, api, type Locale, type Player, type RecoveryInfo, type Registration, type TokenPair } from './api';
import type { Clock } from './game/clock';
import { readJSON, readString, writeJSON, writeString } from './storage';
import { Store } from './store';
import { watchStorage } from './tabs';

export const SESSION_KEY = 'lightpress.session';
export const PLAYER_KEY = 'lightpress.player';
export const RECOVERY_KEY = 'lightpress.recoveryCode';
/** The 30-day token of older versions: exchanged once for a session. */
const OLD_TOKEN_KEY = 'lightpress.token';
const LOCK = 'lightpress-session';
/** Renew this long before the access token expires. */
export const RENEW_BEFORE_MS = 60_000;

/**
 * - loading: connecting or registering;
 * - ready: signed in;
 * - offline: the server cannot be reached (the last player seen is shown);
 * - limited: registering is refused for now (429) and retried at retryAt;
 * - signedOut: the refresh token was refused: the player must choose.
 */
export type SessionStatus = 'loading' | 'ready' | 'offline' | 'limited' | 'signedOut';

export interface SessionState {
  status: SessionStatus;
  player: Player | null;
  token: string | null;
  /** limited: when registering is tried again (wall-clock ms). */
  retryAt?: number;
}

export interface SignedIn {
  player: Player;
  token: string;
}

/** StoredSession is what every tab shares. expiresAt is in this browser's wall-clock ms. */
export interface StoredSession {
  playerId: string;
  token: string;
  expiresAt: number;
  refreshToken: string;
}

export interface SessionDeps {
  api: Pick<typeof api, 'createPlayer' | 'me' | 'updateMe' | 'renewToken' | 'exchangeOldToken' | 'recover' | 'newRecoveryCode' | 'recoveryInfo'>;
  /** wall clock, ms (Date.now) */
  now: () => number;
  /** timers */
  clock: Clock;
  locks?: { request: <T>(name: string, fn: () => Promise<T>) => Promise<T> } | null;
}

/** SessionRefused is thrown by authorized() once the session is signed out. */
export class SessionRefused extends Error {
  constructor() {
    super('the session could not be renewed');
    this.name = 'SessionRefused';
  }
}

/** tokenClaims reads a JWT's subject and lifetime, unverified (the server verifies). */
export function tokenClaims(token: string): { sub?: string; iat?: number; exp?: number } {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as { sub?: string; iat?: number; exp?: number };
  } catch {
    return {};
  }
}

function browserLocks(): NonNullable<SessionDeps['locks']> | null {
  if (typeof navigator === 'undefined' || !('locks' in navigator) || !navigator.locks) return null;
  const locks = navigator.locks;
  return { request: <T>(name: string, fn: () => Promise<T>) => locks.request(name, fn) as Promise<T> };
}

export class PlayerSession extends Store<SessionState> {
  private readonly deps: Required<SessionDeps>;
  private readonly locale: () => Locale;
  private connecting: Promise<SignedIn | null> | null = null;
  private renewing: Promise<boolean> | null = null;
  private renewTimer: number | null = null;
  private readonly unwatch: Array<() => void> = [];

  constructor(locale: () => Locale, deps?: Partial<SessionDeps>) {
    super({ status: 'loading', player: readJSON<Player>(PLAYER_KEY), token: readJSON<StoredSession>(SESSION_KEY)?.token ?? null });
    this.locale = locale;
    this.deps = {
      api: deps?.api ?? api,
      now: deps?.now ?? (() => Date.now()),
      clock: deps?.clock ?? {
        now: () => Date.now(),
        setTimeout: (fn, ms) => window.setTimeout(fn, ms),
        clearTimeout: (id) => window.clearTimeout(id),
      },
      locks: deps && 'locks' in deps ? (deps.locks ?? null) : browserLocks(),
    };
    this.unwatch.push(watchStorage(SESSION_KEY, () => this.adoptStored()));
    this.unwatch.push(
      watchStorage(PLAYER_KEY, () => {
        const player = readJSON<Player>(PLAYER_KEY);
        if (player && player.id === this.state.player?.id) this.set({ player });
      }),
    );
  }

  dispose(): void {
    for (const fn of this.unwatch) fn();
    this.cancelRenewTimer();
  }

  /** ensure returns the signed-in player, connecting (or registering) first if needed; null when that is not possible now. */
  ensure(): Promise<SignedIn | null> {
    const { status, player, token } = this.state;
    if (status === 'ready' && player && token && !this.expiring()) return Promise.resolve({ player, token });
    if (status === 'signedOut') return Promise.resolve(null);
    if (status === 'limited' && (this.state.retryAt ?? 0) > this.deps.now()) return Promise.resolve(null);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /**
   * authorized runs call with a valid access token; on a 401 it renews the
   * token once and runs it again. It throws SessionRefused when the session
   * is signed out, and the call's error otherwise.
   */
  async authorized<T>(call: (token: string) => Promise<T>): Promise<T> {
    const signed = await this.ensure();
    if (!signed) throw this.state.status === 'signedOut' ? new SessionRefused() : new ApiError(0, 'offline');
    try {
      return await call(signed.token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    }
    if (!(await this.renew(signed.token))) throw this.state.status === 'signedOut' ? new SessionRefused() : new ApiError(0, 'offline');
    const token = this.state.token;
    if (!token) throw new SessionRefused();
    return call(token);
  }

  /** refresh reloads the player (with fresh stats). */
  async refresh(): Promise<Player | null> {
    try {
      const player = await this.authorized((t) => this.deps.api.me(t));
      this.setPlayer(player);
      return player;
    } catch {
      return null;
    }
  }

  /** rename changes the nickname; it throws the server's ApiError (e.g. 400 with a detail). */
  async rename(nickname: string): Promise<Player> {
    const player = await this.authorized((t) => this.deps.api.updateMe(t, { nickname }));
    this.setPlayer({ ...this.state.player, ...player });
    return player;
  }

  /** setLocale tells the server the player's language; best effort. */
  async setLocale(locale: Locale): Promise<void> {
    const { status, player } = this.state;
    if (status !== 'ready' || !player || player.locale === locale) return;
    try {
      this.setPlayer({ ...player, ...(await this.authorized((t) => this.deps.api.updateMe(t, { locale }))) });
    } catch {
      // the language is remembered locally anyway
    }
  }

  /** newRecoveryCode makes the player's recovery code (the one before stops working) and keeps it in this browser. */
  async newRecoveryCode(): Promise<string> {
    const made = await this.authorized((t) => this.deps.api.newRecoveryCode(t));
    writeString(RECOVERY_KEY, JSON.stringify({ playerId: this.state.player?.id, code: made.recoveryCode }));
    return made.recoveryCode;
  }

  /** recoveryInfo tells when the player's code was made and last used; null if there is none. */
  async recoveryInfo(): Promise<RecoveryInfo | null> {
    try {
      return await this.authorized((t) => this.deps.api.recoveryInfo(t));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** storedRecoveryCode is the code made in this browser for the current player, if any. */
  storedRecoveryCode(): string | null {
    const stored = readJSON<{ playerId: string; code: string }>(RECOVERY_KEY);
    return stored && stored.playerId === this.state.player?.id ? stored.code : null;
  }

  /** recover signs this browser (every tab) in as the player of a recovery code; it throws the server's ApiError. */
  async recover(code: string): Promise<Player> {
    const reg = await this.deps.api.recover(code);
    await this.withLock(async () => this.adopt(reg));
    writeString(RECOVERY_KEY, JSON.stringify({ playerId: reg.player.id, code }));
    return reg.player;
  }

  /** startFresh registers a new guest, after the player chose to (a signed-out session). */
  async startFresh(): Promise<SignedIn | null> {
    writeJSON(SESSION_KEY, null);
    writeJSON(PLAYER_KEY, null);
    writeString(RECOVERY_KEY, null);
    this.set({ status: 'loading', player: null, token: null });
    return this.ensure();
  }

  private expiring(): boolean {
    const stored = readJSON<StoredSession>(SESSION_KEY);
    return !stored || stored.expiresAt - this.deps.now() < RENEW_BEFORE_MS / 2;
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.deps.locks ? this.deps.locks.request(LOCK, fn) : fn();
  }

  private async connect(): Promise<SignedIn | null> {
    return this.withLock(async () => {
      // Another tab may have registered or renewed while this one waited.
      const stored = readJSON<StoredSession>(SESSION_KEY);
      const old = readString(OLD_TOKEN_KEY);
      if (!stored && old !== null) return this.exchange(old);
      if (!stored) return this.register();
      this.set({ token: stored.token });
      if (stored.expiresAt - this.deps.now() < RENEW_BEFORE_MS / 2 && !(await this.renewLocked(stored))) return null;
      return this.loadPlayer();
    });
  }

  /** loadPlayer reads the player with the session's token; a 401 renews it once. */
  private async loadPlayer(canRenew = true): Promise<SignedIn | null> {
    const token = this.state.token;
    if (!token) return null;
    try {
      const player = await this.deps.api.me(token);
      this.setPlayer(player);
      this.set({ status: 'ready' });
      this.scheduleRenewal();
      return { player, token };
    } catch (err) {
      const stored = readJSON<StoredSession>(SESSION_KEY);
      if (canRenew && err instanceof ApiError && err.status === 401 && stored) {
        // Not expired by our clock, yet refused (another clock, a new key): renew once.
        return (await this.renewLocked(stored)) ? this.loadPlayer(false) : null;
      }
      if (err instanceof ApiError && (err.status === 401 || (err.status === 404 && err.problem))) {
        // Refused again, or the player is gone (an unplayed guest expires).
        this.signOut();
        return null;
      }
      this.set({ status: 'offline' });
      return null;
    }
  }

  /** exchange turns the token of an older version into a session of the same player. */
  private async exchange(old: string): Promise<SignedIn | null> {
    try {
      const pair = await this.deps.api.exchangeOldToken(old);
      writeString(OLD_TOKEN_KEY, null);
      this.store(tokenClaims(pair.token).sub ?? '', pair);
      this.set({ token: pair.token });
      return this.loadPlayer();
    } catch (err) {
      if (err instanceof ApiError && err.status !== 0 && !err.retryable) {
        writeString(OLD_TOKEN_KEY, null); // refused for good: the player chooses what now
        this.set({ status: 'signedOut', token: null });
      } else {
        this.set({ status: 'offline' }); // try again later
      }
      return null;
    }
  }

  private async register(): Promise<SignedIn | null> {
    try {
      const reg = await this.deps.api.createPlayer({ locale: this.locale() });
      this.adopt(reg);
      return { player: reg.player, token: reg.token };
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const retryAt = this.deps.now() + (err.retryAfterMs ?? 60_000);
        this.set({ status: 'limited', token: null, retryAt });
        this.deps.clock.setTimeout(() => void this.ensure(), retryAt - this.deps.now());
        return null;
      }
      this.set({ status: 'offline', token: null });
      return null;
    }
  }

  /** adopt stores a session the server just started (registration, recovery) for every tab. */
  private adopt(reg: Registration): void {
    this.store(reg.player.id, reg);
    this.setPlayer(reg.player);
    this.set({ status: 'ready', token: reg.token });
    this.scheduleRenewal();
  }

  private store(playerId: string, pair: TokenPair): void {
    const { iat, exp } = tokenClaims(pair.token);
    // The token's lifetime by the server's clock, counted from now by ours
    // (so a wrong clock here does not matter); 5 minutes if it cannot be read.
    let lifetime = iat && exp ? (exp - iat) * 1000 : Date.parse(pair.tokenExpiresAt) - this.deps.now();
    if (!Number.isFinite(lifetime) || lifetime <= 0) lifetime = 5 * 60_000;
    const stored: StoredSession = { playerId, token: pair.token, expiresAt: this.deps.now() + lifetime, refreshToken: pair.refreshToken };
    writeJSON(SESSION_KEY, stored);
  }

  /** renew gets a new access token, unless another tab already did; false if it could not. */
  private renew(failedToken: string | null): Promise<boolean> {
    this.renewing ??= this.withLock(async () => {
      const stored = readJSON<StoredSession>(SESSION_KEY);
      if (!stored) {
        this.signOut();
        return false;
      }
      if (failedToken !== null && stored.token !== failedToken && stored.expiresAt - this.deps.now() > RENEW_BEFORE_MS / 2) {
        this.set({ token: stored.token, status: 'ready' }); // another tab renewed
        return true;
      }
      return this.renewLocked(stored);
    }).finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  /** renewLocked exchanges the stored refresh token; the caller holds the lock. */
  private async renewLocked(stored: StoredSession): Promise<boolean> {
    try {
      const pair = await this.deps.api.renewToken(stored.refreshToken);
      this.store(stored.playerId, pair);
      this.set({ token: pair.token, status: this.state.player ? 'ready' : this.state.status });
      this.scheduleRenewal();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.signOut();
      } else {
        this.set({ status: 'offline' });
      }
      return false;
    }
  }

  /** signOut ends a session the server refused: the page asks the player what to do. */
  private signOut(): void {
    writeJSON(SESSION_KEY, null);
    this.cancelRenewTimer();
    this.set({ status: 'signedOut', token: null });
  }

  private scheduleRenewal(): void {
    this.cancelRenewTimer();
    const stored = readJSON<StoredSession>(SESSION_KEY);
    if (!stored) return;
    const wait = Math.max(0, stored.expiresAt - this.deps.now() - RENEW_BEFORE_MS);
    this.renewTimer = this.deps.clock.setTimeout(() => {
      this.renewTimer = null;
      void this.renew(null);
    }, wait);
  }

  private cancelRenewTimer(): void {
    if (this.renewTimer !== null) this.deps.clock.clearTimeout(this.renewTimer);
    this.renewTimer = null;
  }

  /** adoptStored follows a change another tab made to the shared session. */
  private adoptStored(): void {
    const stored = readJSON<StoredSession>(SESSION_KEY);
    if (!stored) {
      if (this.state.status === 'ready') this.set({ status: 'signedOut', token: null });
      this.cancelRenewTimer();
      return;
    }
    if (stored.token === this.state.token) return;
    const samePlayer = stored.playerId === this.state.player?.id;
    this.set({ token: stored.token, status: samePlayer ? 'ready' : 'loading' });
    if (samePlayer) {
      this.scheduleRenewal();
    } else {
      const player = readJSON<Player>(PLAYER_KEY);
      if (player?.id === stored.playerId) this.set({ player, status: 'ready' });
      void this.ensure();
    }
  }

  private setPlayer(player: Player): void {
    writeJSON(PLAYER_KEY, player);
    this.set({ player });
  }
}
