// createServices wires the parts of the page that live outside React: the
// player session, the result outbox, the game controller, the achievement
// watch and the toasts. main.tsx creates them once for the page's lifetime.

import { AchievementWatch, defaultAchievementDeps } from './achievementWatch';
import { ApiError, api, type Locale } from './api';
import type { Clock } from './game/clock';
import { GameController, type ServerGame } from './game/controller';
import { ResultOutbox } from './outbox';
import { PlayerSession } from './session';
import { ToastStore } from './toasts';
import type { Mode } from './rules';

export interface Services {
  /** clock is the page's clock (injected so tests drive time): games and replays run on it. */
  clock: Clock;
  session: PlayerSession;
  outbox: ResultOutbox;
  controller: GameController;
  achievements: AchievementWatch;
  toasts: ToastStore;
}

export function createServices(clock: Clock, locale: () => Locale): Services {
  const session = new PlayerSession(locale);
  const toasts = new ToastStore(clock);
  const achievements = new AchievementWatch(defaultAchievementDeps(clock, (a) => toasts.push(a)));

  const outbox = new ResultOutbox({
    clock,
    send: (item) => api.submitResult(item.token, item.gameId, item.presses, item.endedAt),
    onEvent: (e) => {
      const { gameId, localScore } = e.item;
      if (e.type === 'sent') {
        controller.showResult(gameId, { status: e.result.status, gameId, localScore, server: e.result });
        const player = session.getState().player;
        if (e.result.status === 'accepted' && player) {
          achievements.afterGame(player.id);
          void session.refresh();
        }
      } else if (e.type === 'retrying') {
        controller.showResult(gameId, { status: 'pending', gameId, localScore, retryInMs: e.retryInMs });
      } else {
        controller.showResult(gameId, { status: 'failed', gameId, localScore, reason: e.error.detail });
      }
    },
  });

  const startGame = async (mode: Mode): Promise<ServerGame> => {
    for (let attempt = 0; ; attempt++) {
      const signed = await session.ensure();
      if (!signed) throw new ApiError(0, 'offline');
      void achievements.baseline(signed.player.id);
      try {
        const game = await api.startGame(signed.token, mode);
        return { gameId: game.gameId, seed: game.seed >>> 0, token: signed.token };
      } catch (err) {
        // A token the server no longer takes: register a new guest once and retry.
        if (attempt === 0 && err instanceof ApiError && err.status === 401) {
          session.forgetToken();
          continue;
        }
        throw err;
      }
    }
  };

  const controller = new GameController({
    clock,
    startGame,
    submitResult: (g) =>
      void outbox.submit({ gameId: g.gameId, mode: g.mode, token: g.token, presses: g.presses, endedAt: g.endedAt, localScore: g.localScore }),
    randomSeed: () => crypto.getRandomValues(new Uint32Array(1))[0] ?? 0,
  });

  return { clock, session, outbox, controller, achievements, toasts };
}
