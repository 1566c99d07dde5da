// ToastStore holds the achievement toast shown after a game. Unlocks that
// arrive together, or while a toast is up, are gathered into one toast (a
// first game can unlock several badges: one box, not a stack over the
// board). While a game is on the toast waits: nothing pops up over a lit
// button. The page may also park it (no free place on screen): its time
// runs only while it can be seen.

import type { Achievement } from './api';
import { Timers, type Clock } from './game/clock';
import { Store } from './store';

export interface Toast {
  /** Changes whenever the toast's content does. */
  id: number;
  achievements: Achievement[];
}

/** How long a toast stays up unless closed. */
export const TOAST_MS = 7000;

export class ToastStore extends Store<{ toast: Toast | null }> {
  private readonly timers: Timers;
  private nextId = 1;
  private queued: Achievement[] = [];
  private held = false;
  private parked = false;
  private timer: number | null = null;

  constructor(clock: Clock) {
    super({ toast: null });
    this.timers = new Timers(clock);
  }

  /** push adds unlocked badges: to the toast on screen, or to the next one. */
  push(achievements: Achievement[]): void {
    const current = this.state.toast?.achievements ?? [];
    const known = new Set([...current, ...this.queued].map((a) => a.id));
    const fresh: Achievement[] = [];
    for (const a of achievements) {
      if (known.has(a.id)) continue;
      known.add(a.id);
      fresh.push(a);
    }
    if (!fresh.length) return;
    if (this.held) {
      this.queued.push(...fresh);
      return;
    }
    this.show([...current, ...fresh]);
  }

  /** hold hides the toast while a game runs (what was on screen counts as seen) and shows what came meanwhile after. */
  hold(on: boolean): void {
    if (on === this.held) return;
    this.held = on;
    if (on) {
      this.dismiss();
      return;
    }
    const queued = this.queued;
    this.queued = [];
    if (queued.length) this.show(queued);
  }

  /** park says that the toast has no free place on screen for now: its time stops until it has one. */
  park(on: boolean): void {
    if (on === this.parked) return;
    this.parked = on;
    if (this.state.toast) this.restartTimer();
  }

  dismiss(): void {
    this.timers.cancel(this.timer);
    this.timer = null;
    if (this.state.toast) this.set({ toast: null });
  }

  private show(achievements: Achievement[]): void {
    this.set({ toast: { id: this.nextId++, achievements } });
    this.restartTimer();
  }

  private restartTimer(): void {
    this.timers.cancel(this.timer);
    this.timer = this.parked ? null : this.timers.after(TOAST_MS, () => this.dismiss());
  }
}
