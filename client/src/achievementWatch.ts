// AchievementWatch finds the badges a game unlocked. Player achievements are
// eventually consistent (they follow GameFinished events), so after a game it
// polls the player's list a few times and reports ids it had not seen before.

import { api, type Achievement } from './api';
import { Timers, type Clock } from './game/clock';

/** Delays of the polls after a game, in ms. */
export const POLL_DELAYS = [1000, 2000, 3000, 5000, 8000];

export interface AchievementWatchDeps {
  clock: Clock;
  list: (playerId: string) => Promise<{ id: string }[]>;
  catalogue: () => Promise<Achievement[]>;
  onUnlocked: (achievements: Achievement[]) => void;
}

export class AchievementWatch {
  private readonly deps: AchievementWatchDeps;
  private readonly timers: Timers;
  private known: Set<string> | null = null;
  private knownFor: string | null = null;
  private catalogue: Promise<Achievement[]> | null = null;

  constructor(deps: AchievementWatchDeps) {
    this.deps = deps;
    this.timers = new Timers(deps.clock);
  }

  /** baseline notes what the player has now; without it, afterGame does nothing (the service may be missing). */
  async baseline(playerId: string): Promise<void> {
    try {
      const list = await this.deps.list(playerId);
      this.known = new Set(list.map((a) => a.id));
      this.knownFor = playerId;
    } catch {
      this.known = null;
      this.knownFor = null;
    }
  }

  /** afterGame polls for new achievements of playerId and reports them. */
  afterGame(playerId: string): void {
    if (!this.known || this.knownFor !== playerId) return;
    this.timers.clear();
    let elapsed = 0;
    for (const delay of POLL_DELAYS) {
      elapsed += delay;
      this.timers.after(elapsed, () => void this.poll(playerId));
    }
  }

  dispose(): void {
    this.timers.clear();
  }

  private async poll(playerId: string): Promise<void> {
    let list: { id: string }[];
    try {
      list = await this.deps.list(playerId);
    } catch {
      return;
    }
    const known = this.known;
    if (!known || this.knownFor !== playerId) return;
    const fresh = list.map((a) => a.id).filter((id) => !known.has(id));
    if (!fresh.length) return;
    for (const id of fresh) known.add(id);
    this.catalogue ??= this.deps.catalogue().catch(() => {
      this.catalogue = null;
      return [];
    });
    const catalogue = await this.catalogue;
    this.deps.onUnlocked(
      fresh.map((id) => catalogue.find((a) => a.id === id) ?? { id, name: { es: id, en: id }, description: { es: '', en: '' } }),
    );
  }
}

export function defaultAchievementDeps(clock: Clock, onUnlocked: (a: Achievement[]) => void): AchievementWatchDeps {
  return { clock, list: api.playerAchievements, catalogue: api.achievements, onUnlocked };
}
