import { describe, expect, it } from 'vitest';
import { backoffMs, changedRows, IDLE_CLOSE_MS, LiveBoards, type LiveStatus } from './live';
import type { Entry } from './api';

class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(d: string) {
    this.sent.push(d);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { f: () => void; ms: number; id: number }[] = [];
  let next = 1;
  const live = new LiveBoards('ws://test/live', {
    connect: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    setTimeout: (f, ms) => {
      const id = next++;
      timers.push({ f, ms, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    random: () => 1,
  });
  const fire = () => timers.shift()!.f();
  return { live, sockets, timers, fire };
}

const row = (playerId: string, score: number, rank: number): Entry => ({
  rank,
  playerId,
  nickname: playerId,
  score,
  level: 1,
  gameId: 'g',
  achievedAt: '2026-11-22T10:00:00Z',
});

describe('LiveBoards', () => {
  it('subscribes once open, is live once subscribed, and passes on changes of its board only', () => {
    const { live, sockets } = harness();
    const statuses: LiveStatus[] = [];
    const changes: number[] = [];
    let rereads = 0;
    live.follow({
      mode: 'classic',
      period: 'all',
      onChange: (c) => changes.push(c.entries[0]!.score),
      onSubscribed: () => rereads++,
      onStatus: (s) => statuses.push(s),
    });
    const s = sockets[0]!;
    s.open();
    expect(JSON.parse(s.sent[0]!)).toEqual({ action: 'subscribe', mode: 'classic', period: 'all' });
    s.receive({ type: 'subscribed', mode: 'classic', period: 'all', periodKey: 'all' });
    expect(statuses.at(-1)).toBe('live');
    expect(rereads).toBe(1);
    s.receive({ type: 'leaderboard.changed', mode: 'memory', period: 'all', periodKey: 'all', entries: [row('a', 5, 1)] });
    s.receive({ type: 'leaderboard.changed', mode: 'classic', period: 'all', periodKey: 'all', entries: [row('a', 9, 1)] });
    expect(changes).toEqual([9]);
  });

  it('reconnects with a growing backoff, and resubscribes', () => {
    const { live, sockets, timers, fire } = harness();
    const statuses: LiveStatus[] = [];
    live.follow({ mode: 'memory', period: 'day', onChange: () => {}, onSubscribed: () => {}, onStatus: (s) => statuses.push(s) });
    sockets[0]!.drop(); // could not open
    expect(statuses.at(-1)).toBe('offline');
    expect(timers[0]!.ms).toBe(1000);
    fire();
    sockets[1]!.drop();
    expect(timers[0]!.ms).toBe(2000);
    fire();
    sockets[2]!.open();
    expect(JSON.parse(sockets[2]!.sent[0]!)).toEqual({ action: 'subscribe', mode: 'memory', period: 'day' });
    sockets[2]!.receive({ type: 'subscribed', mode: 'memory', period: 'day', periodKey: '2026-11-22' });
    expect(statuses.at(-1)).toBe('live');
    sockets[2]!.drop();
    expect(timers[0]!.ms).toBe(1000); // a subscribe resets the backoff
  });

  it('moves the one subscription when the board changes, and closes when nothing is followed', () => {
    const { live, sockets, timers, fire } = harness();
    const stop = live.follow({ mode: 'classic', period: 'all', onChange: () => {}, onSubscribed: () => {}, onStatus: () => {} });
    sockets[0]!.open();
    stop();
    live.follow({ mode: 'classic', period: 'week', onChange: () => {}, onSubscribed: () => {}, onStatus: () => {} })();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.sent.map((m) => JSON.parse(m).period)).toEqual(['all', 'week']);
    expect(timers[0]!.ms).toBe(IDLE_CLOSE_MS);
    fire();
    expect(sockets[0]!.closed).toBe(true);
  });
});

describe('backoffMs', () => {
  it('doubles from 1 s to at most 30 s, jittered over its upper half', () => {
    expect([0, 1, 2, 5, 9].map((n) => backoffMs(n, () => 1))).toEqual([1000, 2000, 4000, 30000, 30000]);
    expect(backoffMs(0, () => 0)).toBe(500);
  });
});

describe('changedRows', () => {
  it('names new and moved rows', () => {
    const prev = [row('a', 300, 1), row('b', 200, 2)];
    const next = [row('c', 400, 1), row('a', 300, 2), row('b', 200, 3)];
    expect([...changedRows(prev, next)].sort()).toEqual(['a', 'b', 'c']);
    expect([...changedRows(next, next)]).toEqual([]);
  });
});
