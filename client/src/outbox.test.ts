// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type GameResult } from './api';
import { OUTBOX_KEY, ResultOutbox, retryDelay, type OutboxEvent, type PendingResult } from './outbox';
import { FakeClock, flush } from './test/fakeClock';

const item = { gameId: 'g1', mode: 'classic' as const, token: 'tok', presses: [{ t: 500, button: 3 }], endedAt: 900, localScore: 12 };
const accepted: GameResult = { gameId: 'g1', mode: 'classic', status: 'accepted', score: 12, level: 1, lives: 3, maxCombo: 1, rounds: 1, endedAt: 900 };

function stored(): PendingResult[] {
  return JSON.parse(localStorage.getItem(OUTBOX_KEY) ?? '[]') as PendingResult[];
}

describe('ResultOutbox', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the result in localStorage until the server answers', async () => {
    const clock = new FakeClock();
    const events: OutboxEvent[] = [];
    let answer: (r: GameResult) => void = () => {};
    const outbox = new ResultOutbox({ clock, send: () => new Promise((r) => (answer = r)), onEvent: (e) => events.push(e) });
    const done = outbox.submit(item);
    expect(stored()).toHaveLength(1);
    expect(outbox.getState()).toEqual({ pending: 1, waiting: 0 }); // in flight: nothing to say yet
    answer(accepted);
    await done;
    expect(stored()).toHaveLength(0);
    expect(localStorage.getItem(OUTBOX_KEY)).toBeNull();
    expect(outbox.getState().pending).toBe(0);
    expect(events).toEqual([{ type: 'sent', item: { ...item, attempts: 0 }, result: accepted }]);
  });

  it('retries with backoff while the network fails, then delivers', async () => {
    const clock = new FakeClock();
    const events: OutboxEvent[] = [];
    const send = vi
      .fn<(p: PendingResult) => Promise<GameResult>>()
      .mockRejectedValueOnce(new ApiError(0, 'network error'))
      .mockRejectedValueOnce(new ApiError(503, 'unavailable'))
      .mockResolvedValueOnce(accepted);
    const outbox = new ResultOutbox({ clock, send, onEvent: (e) => events.push(e) });
    await outbox.submit(item);
    expect(events.at(-1)).toMatchObject({ type: 'retrying', retryInMs: 2000 });
    expect(stored()[0]?.attempts).toBe(1);
    expect(outbox.getState()).toEqual({ pending: 1, waiting: 1 });
    clock.tick(1999);
    expect(send).toHaveBeenCalledTimes(1);
    clock.tick(1);
    await flush();
    expect(send).toHaveBeenCalledTimes(2);
    expect(events.at(-1)).toMatchObject({ type: 'retrying', retryInMs: 4000 });
    clock.tick(4000);
    await flush();
    expect(send).toHaveBeenCalledTimes(3);
    expect(events.at(-1)).toMatchObject({ type: 'sent' });
    expect(stored()).toHaveLength(0);
  });

  it('drops a result the server refuses for good (4xx) and says so', async () => {
    const clock = new FakeClock();
    const events: OutboxEvent[] = [];
    const refusal = new ApiError(409, 'Conflict', { type: 'about:blank', title: 'Conflict', status: 409, detail: 'already submitted' });
    const outbox = new ResultOutbox({ clock, send: () => Promise.reject(refusal), onEvent: (e) => events.push(e) });
    await outbox.submit(item);
    expect(events).toEqual([{ type: 'failed', item: { ...item, attempts: 0 }, error: refusal }]);
    expect(stored()).toHaveLength(0);
    expect(clock.pending).toBe(0);
  });

  it('sends what an earlier visit left behind', async () => {
    localStorage.setItem(OUTBOX_KEY, JSON.stringify([{ ...item, attempts: 3 }]));
    const clock = new FakeClock();
    const send = vi.fn(async () => accepted);
    const outbox = new ResultOutbox({ clock, send, onEvent: () => {} });
    expect(outbox.getState().pending).toBe(1);
    await outbox.resume();
    expect(send).toHaveBeenCalledWith({ ...item, attempts: 3 });
    expect(outbox.getState().pending).toBe(0);
  });

  it('waits 2 s, 4 s, 8 s... and at most a minute between tries', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(retryDelay)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });
});
