// ToastStore holds the achievement toasts shown after a game.

import type { Achievement } from './api';
import { Timers, type Clock } from './game/clock';
import { Store } from './store';

export interface Toast {
  id: number;
  achievement: Achievement;
}

/** How long a toast stays up unless closed. */
export const TOAST_MS = 7000;

export class ToastStore extends Store<{ toasts: Toast[] }> {
  private readonly timers: Timers;
  private nextId = 1;

  constructor(clock: Clock) {
    super({ toasts: [] });
    this.timers = new Timers(clock);
  }

  push(achievements: Achievement[]): void {
    const added = achievements.map((achievement) => ({ id: this.nextId++, achievement }));
    this.set({ toasts: [...this.state.toasts, ...added] });
    for (const t of added) this.timers.after(TOAST_MS, () => this.dismiss(t.id));
  }

  dismiss(id: number): void {
    this.set({ toasts: this.state.toasts.filter((t) => t.id !== id) });
  }
}
