// PlayerSession is the guest account of this browser: the first visit creates
// it (POST /api/players), its token is kept in localStorage, and later visits
// load it (GET /api/players/me). A token the server no longer takes (401)
// is replaced by a new guest. While the server cannot be reached the session
// is "offline" and shows the last player seen; ensure() tries again.

import { ApiError, api, type Locale, type Player } from './api';
import { readJSON, readString, writeJSON, writeString } from './storage';
import { Store } from './store';

export const TOKEN_KEY = 'lightpress.token';
export const PLAYER_KEY = 'lightpress.player';

export type SessionStatus = 'loading' | 'ready' | 'offline';

export interface SessionState {
  status: SessionStatus;
  player: Player | null;
  token: string | null;
}

export interface SignedIn {
  player: Player;
  token: string;
}

export class PlayerSession extends Store<SessionState> {
  private connecting: Promise<SignedIn | null> | null = null;
  private readonly locale: () => Locale;

  constructor(locale: () => Locale) {
    super({ status: 'loading', player: readJSON<Player>(PLAYER_KEY), token: readString(TOKEN_KEY) });
    this.locale = locale;
  }

  /** ensure returns the signed-in player, connecting (or registering) first if needed; null when the server is unreachable. */
  ensure(): Promise<SignedIn | null> {
    const { status, player, token } = this.state;
    if (status === 'ready' && player && token) return Promise.resolve({ player, token });
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** forgetToken drops a token the server refused (401) so the next ensure() registers a new guest. */
  forgetToken(): void {
    writeString(TOKEN_KEY, null);
    this.set({ status: 'loading', token: null });
  }

  /** refresh reloads the player (with fresh stats). */
  async refresh(): Promise<Player | null> {
    const token = this.state.token;
    if (!token) return null;
    try {
      const player = await api.me(token);
      this.setPlayer(player, token);
      return player;
    } catch {
      return null;
    }
  }

  /** rename changes the nickname; it throws the server's ApiError (e.g. 400 with a detail). */
  async rename(nickname: string): Promise<Player> {
    const signed = await this.ensure();
    if (!signed) throw new ApiError(0, 'offline');
    const player = await api.updateMe(signed.token, { nickname });
    this.setPlayer({ ...signed.player, ...player }, signed.token);
    return player;
  }

  /** setLocale tells the server the player's language; best effort. */
  async setLocale(locale: Locale): Promise<void> {
    const { status, token, player } = this.state;
    if (status !== 'ready' || !token || !player || player.locale === locale) return;
    try {
      this.setPlayer({ ...player, ...(await api.updateMe(token, { locale })) }, token);
    } catch {
      // the language is remembered locally anyway
    }
  }

  private async connect(): Promise<SignedIn | null> {
    let token = this.state.token;
    if (token) {
      try {
        const player = await api.me(token);
        this.setPlayer(player, token);
        return { player, token };
      } catch (err) {
        // 401: the token is not valid any more; a problem+json 404: the player is gone.
        const gone = err instanceof ApiError && (err.status === 401 || (err.status === 404 && err.problem !== null));
        if (!gone) {
          this.set({ status: 'offline' });
          return null;
        }
        writeString(TOKEN_KEY, null);
        token = null;
      }
    }
    try {
      const reg = await api.createPlayer({ locale: this.locale() });
      writeString(TOKEN_KEY, reg.token);
      this.setPlayer(reg.player, reg.token);
      return { player: reg.player, token: reg.token };
    } catch {
      this.set({ status: 'offline', token: null });
      return null;
    }
  }

  private setPlayer(player: Player, token: string): void {
    writeJSON(PLAYER_KEY, player);
    this.set({ status: 'ready', player, token });
  }
}
