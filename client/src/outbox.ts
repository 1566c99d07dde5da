// ResultOutbox makes sure a finished game's result reaches the server: it is
// written to localStorage before the first try, re-sent with backoff while the
// network or the server fails, re-sent on the next page load, and removed only
// once the server answered for it (accepted, rejected, or refused with a 4xx).
// Sending the same result twice is safe: the server answers a repeat the same way.

import { ApiError, type GameResult } from './api';
import { Timers, type Clock } from './game/clock';
import type { Mode, Press } from './rules';
import { readJSON, writeJSON } from './storage';
import { Store } from './store';

export interface PendingResult {
  gameId: string;
  mode: Mode;
  /** The token of the player who played it (the game belongs to that player). */
  token: string;
  presses: Press[];
  endedAt: number;
  /** The score the browser counted, to show while the result waits. */
  localScore: number;
  attempts: number;
}

export type OutboxEvent =
  | { type: 'sent'; item: PendingResult; result: GameResult }
  | { type: 'retrying'; item: PendingResult; error: ApiError; retryInMs: number }
  | { type: 'failed'; item: PendingResult; error: ApiError };

export interface OutboxOptions {
  send: (item: PendingResult) => Promise<GameResult>;
  clock: Clock;
  onEvent: (e: OutboxEvent) => void;
  storageKey?: string;
}

export const OUTBOX_KEY = 'lightpress.pendingResults';
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 60000;

/** retryDelay is the wait before try number `attempts + 1`: 2 s, 4 s, 8 s... up to a minute. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** OutboxState is what the page shows about results still waiting to be sent. */
export interface OutboxState {
  /** Results stored and not yet answered, including one being sent for the first time. */
  pending: number;
  /** Those of them that failed to send at least once (the page says they will be retried). */
  waiting: number;
}

const countWaiting = (items: PendingResult[]) => items.filter((p) => p.attempts > 0).length;

export class ResultOutbox extends Store<OutboxState> {
  private readonly opts: OutboxOptions;
  private readonly key: string;
  private readonly timers: Timers;
  private readonly retryTimers = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private memory: PendingResult[];

  constructor(opts: OutboxOptions) {
    const key = opts.storageKey ?? OUTBOX_KEY;
    const stored = readJSON<PendingResult[]>(key);
    const memory = Array.isArray(stored) ? stored : [];
    super({ pending: memory.length, waiting: countWaiting(memory) });
    this.opts = opts;
    this.key = key;
    this.timers = new Timers(opts.clock);
    this.memory = memory;
  }

  /** pending lists the results not yet answered by the server. */
  pending(): PendingResult[] {
    return this.memory.slice();
  }

  /** submit stores a result and sends it now. */
  submit(item: Omit<PendingResult, 'attempts'>): Promise<void> {
    const entry: PendingResult = { ...item, attempts: 0 };
    this.save([...this.memory.filter((p) => p.gameId !== entry.gameId), entry]);
    return this.send(entry.gameId);
  }

  /** resume sends everything stored, e.g. left over from an earlier visit. */
  resume(): Promise<void> {
    return this.retryNow();
  }

  /** retryNow sends every pending result without waiting for its backoff. */
  async retryNow(): Promise<void> {
    await Promise.all(this.memory.map((p) => this.send(p.gameId)));
  }

  dispose(): void {
    this.timers.clear();
    this.retryTimers.clear();
  }

  private async send(gameId: string): Promise<void> {
    if (this.inFlight.has(gameId)) return;
    const item = this.memory.find((p) => p.gameId === gameId);
    if (!item) return;
    this.timers.cancel(this.retryTimers.get(gameId) ?? null);
    this.retryTimers.delete(gameId);
    this.inFlight.add(gameId);
    try {
      const result = await this.opts.send(item);
      this.remove(gameId);
      this.opts.onEvent({ type: 'sent', item, result });
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(0, String(err));
      if (!error.retryable) {
        this.remove(gameId);
        this.opts.onEvent({ type: 'failed', item, error });
        return;
      }
      const attempts = item.attempts + 1;
      const updated = { ...item, attempts };
      this.save(this.memory.map((p) => (p.gameId === gameId ? updated : p)));
      const retryInMs = retryDelay(attempts);
      this.retryTimers.set(
        gameId,
        this.timers.after(retryInMs, () => void this.send(gameId)),
      );
      this.opts.onEvent({ type: 'retrying', item: updated, error, retryInMs });
    } finally {
      this.inFlight.delete(gameId);
    }
  }

  private remove(gameId: string): void {
    this.save(this.memory.filter((p) => p.gameId !== gameId));
  }

  private save(items: PendingResult[]): void {
    this.memory = items;
    writeJSON(this.key, items.length ? items : null);
    const waiting = countWaiting(items);
    if (items.length !== this.state.pending || waiting !== this.state.waiting) this.set({ pending: items.length, waiting });
  }
}
