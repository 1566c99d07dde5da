// The live board (API.md, Live): one WebSocket to the stack's WebSocket API
// (its URL is VITE_LIVE_URL at build time, else ws(s)://<this host>/live as
// `lightpress up` serves it), following one board at a time. It reconnects
// with a jittered exponential backoff; while it is not live the board is
// read by polling (useLiveBoard). No React here: the socket and the timers
// are injected, so tests drive them.

import type { Entry, Period } from './api';
import type { Mode } from './rules';

export type LiveStatus = 'off' | 'connecting' | 'live' | 'offline';

export interface BoardChange {
  mode: Mode;
  period: Period;
  periodKey: string;
  entries: Entry[];
}

export interface Follower {
  mode: Mode;
  period: Period;
  /** onChange gets the board's new top 10. */
  onChange: (c: BoardChange) => void;
  /** onSubscribed: the board is followed; read it once, as a change may have come before. */
  onSubscribed: () => void;
  onStatus: (s: LiveStatus) => void;
}

interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface LiveDeps {
  connect: (url: string) => SocketLike;
  setTimeout: (f: () => void, ms: number) => unknown;
  clearTimeout: (t: unknown) => void;
  random: () => number;
}

/** Backoff after the nth failed attempt (n from 0): 1 s doubling to 30 s, half of it jittered. */
export function backoffMs(n: number, random: () => number): number {
  const base = Math.min(30_000, 1000 * 2 ** n);
  return Math.round(base / 2 + (base / 2) * random());
}

/** How long the socket stays open after the last board stops being followed (switching views). */
export const IDLE_CLOSE_MS = 30_000;

const OPEN = 1;

export class LiveBoards {
  private socket: SocketLike | null = null;
  private follower: Follower | null = null;
  private attempts = 0;
  private retry: unknown = null;
  private idle: unknown = null;
  private status: LiveStatus = 'off';

  constructor(
    private readonly url: string,
    private readonly deps: LiveDeps,
  ) {}

  /** follow makes f the one board followed; the returned function stops it. */
  follow(f: Follower): () => void {
    this.follower = f;
    if (this.idle !== null) {
      this.deps.clearTimeout(this.idle);
      this.idle = null;
    }
    // Until the server says the new board is followed, it is not live.
    this.setStatus(this.status === 'offline' ? 'offline' : 'connecting');
    if (this.socket && this.socket.readyState === OPEN) this.subscribe();
    else if (!this.socket && this.retry === null) this.open();
    return () => {
      if (this.follower !== f) return;
      this.follower = null;
      this.idle = this.deps.setTimeout(() => this.shut(), IDLE_CLOSE_MS);
    };
  }

  private setStatus(s: LiveStatus) {
    this.status = s;
    this.follower?.onStatus(s);
  }

  private subscribe() {
    const f = this.follower;
    if (!f || !this.socket) return;
    this.socket.send(JSON.stringify({ action: 'subscribe', mode: f.mode, period: f.period }));
  }

  private open() {
    this.retry = null;
    if (this.status !== 'offline') this.setStatus('connecting');
    let s: SocketLike;
    try {
      s = this.deps.connect(this.url);
    } catch {
      this.lost();
      return;
    }
    this.socket = s;
    s.onopen = () => this.subscribe();
    s.onmessage = (ev) => this.message(ev.data);
    s.onerror = () => {}; // onclose follows
    s.onclose = () => {
      if (this.socket !== s) return;
      this.socket = null;
      this.lost();
    };
  }

  private lost() {
    if (!this.follower) {
      this.setStatus('off');
      return;
    }
    this.setStatus('offline');
    const wait = backoffMs(this.attempts++, this.deps.random);
    this.retry = this.deps.setTimeout(() => this.open(), wait);
  }

  private message(data: unknown) {
    if (typeof data !== 'string') return;
    let m: { type?: string; mode?: string; period?: string; periodKey?: string; entries?: Entry[] };
    try {
      m = JSON.parse(data);
    } catch {
      return;
    }
    const f = this.follower;
    if (!f || m.mode !== f.mode || m.period !== f.period) return;
    if (m.type === 'subscribed') {
      this.attempts = 0;
      this.setStatus('live');
      f.onSubscribed();
    } else if (m.type === 'leaderboard.changed' && Array.isArray(m.entries)) {
      f.onChange({ mode: f.mode, period: f.period, periodKey: m.periodKey ?? '', entries: m.entries });
    }
  }

  private shut() {
    this.idle = null;
    if (this.retry !== null) this.deps.clearTimeout(this.retry);
    this.retry = null;
    const s = this.socket;
    this.socket = null;
    this.status = 'off';
    s?.close();
  }
}

/** liveUrl is where the live board is: the build's VITE_LIVE_URL, else this host's /live. */
export function liveUrl(): string {
  const built = import.meta.env.VITE_LIVE_URL as string | undefined;
  if (built) return built;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`;
}

let shared: LiveBoards | null = null;

/** liveBoards is the page's one live connection. */
export function liveBoards(): LiveBoards {
  shared ??= new LiveBoards(liveUrl(), {
    connect: (url) => new WebSocket(url) as unknown as SocketLike,
    setTimeout: (f, ms) => window.setTimeout(f, ms),
    clearTimeout: (t) => window.clearTimeout(t as number),
    random: Math.random,
  });
  return shared;
}

/** changedRows names the rows of next that are new or moved since prev (by player, score and rank). */
export function changedRows(prev: Entry[], next: Entry[]): Set<string> {
  const before = new Map(prev.map((e) => [e.playerId, e]));
  const out = new Set<string>();
  for (const e of next) {
    const p = before.get(e.playerId);
    if (!p || p.score !== e.score || p.rank !== e.rank) out.add(e.playerId);
  }
  return out;
}
