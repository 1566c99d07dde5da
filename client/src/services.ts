// createServices wires the parts of the page that live outside React: the
// player session, the result outbox, the game controller, the achievement
// and rank watches, the toasts, the sound, late answers, the how-to cards
// and the daily challenge. main.tsx creates them once for the page's lifetime.

import { AchievementWatch, defaultAchievementDeps } from './achievementWatch';
import { ApiError, api, type ChallengeKind, type Locale } from './api';
import { ChallengeStore } from './challengeStore';
import type { Clock } from './game/clock';
import { GameController, isBusy, type ServerGame } from './game/controller';
import { HowTo } from './howto';
import { LateResults } from './lateResults';
import { ResultOutbox } from './outbox';
import { RankWatch, defaultRankDeps } from './rankWatch';
import { PlayerSession, tokenClaims } from './session';
import { SoundBoard } from './sound';
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
  ranks: RankWatch;
  late: LateResults;
  sound: SoundBoard;
  howto: HowTo;
  challenges: ChallengeStore;
}

/** createServices wires the page; wallNow is the wall clock (the daily challenge changes at UTC midnight). */
export function createServices(clock: Clock, locale: () => Locale, sound = new SoundBoard(), wallNow: () => number = Date.now): Services {
  const session = new PlayerSession(locale, { clock });
  const challenges = new ChallengeStore({
    now: wallNow,
    fetchGame: async (gameId) => ((await session.ensure()) ? session.authorized((token) => api.game(token, gameId)) : null),
  });
  const followPlayer = () => challenges.setPlayer(session.getState().player?.id ?? null);
  followPlayer();
  session.subscribe(followPlayer);
  const toasts = new ToastStore(clock);
  const achievements = new AchievementWatch(defaultAchievementDeps(clock, (a) => toasts.push(a)));
  const ranks = new RankWatch(defaultRankDeps(clock));
  const late = new LateResults();
  const howto = new HowTo();

  const outbox = new ResultOutbox({
    clock,
    // A result of the session's player is sent with the session's current
    // token (renewed as needed); one of an earlier guest with its own.
    send: (item) =>
      tokenClaims(item.token).sub === session.getState().player?.id
        ? session.authorized((token) => api.submitResult(token, item.gameId, item.presses, item.endedAt))
        : api.submitResult(item.token, item.gameId, item.presses, item.endedAt),
    onEvent: (e) => {
      const { gameId, localScore, mode } = e.item;
      if (e.type === 'sent') {
        challenges.finished(gameId, e.result);
        const shown = controller.showResult(gameId, { status: e.result.status, gameId, localScore, server: e.result });
        const player = session.getState().player;
        if (e.result.status === 'accepted' && player) {
          achievements.afterGame(player.id);
          if (shown) ranks.watch(player.id, gameId, mode, e.result.score, challenges.isAttempt(gameId));
          void session.refresh();
        } else if (e.result.status !== 'accepted' && !shown) {
          late.refused({ gameId, mode, localScore, reason: e.result.reason ?? '' });
        }
      } else if (e.type === 'retrying') {
        controller.showResult(gameId, { status: 'pending', gameId, localScore, retryInMs: e.retryInMs });
      } else if (!controller.showResult(gameId, { status: 'failed', gameId, localScore, reason: e.error.detail })) {
        late.refused({ gameId, mode, localScore, reason: e.error.detail });
      }
    },
  });

  // A 401 renews the access token once (session.authorized); a refused
  // renewal signs the session out, and the page asks the player what to do.
  const startGame = async (mode: Mode, challenge?: ChallengeKind): Promise<ServerGame> => {
    const signed = await session.ensure();
    if (!signed) throw new ApiError(0, 'offline');
    void achievements.baseline(signed.player.id);
    return session.authorized(async (token) => {
      try {
        const game = await api.startGame(token, mode, challenge);
        challenges.started(game);
        return { gameId: game.gameId, seed: game.seed >>> 0, token };
      } catch (err) {
        // A challenge started already (here or elsewhere): the problem names that game.
        if (challenge && err instanceof ApiError && err.status === 409 && err.problem?.gameId) {
          void challenges.alreadyPlayed(mode, err.problem.gameId);
        }
        throw err;
      }
    });
  };

  const controller = new GameController({
    clock,
    startGame,
    submitResult: (g) =>
      void outbox.submit({ gameId: g.gameId, mode: g.mode, token: g.token, presses: g.presses, endedAt: g.endedAt, localScore: g.localScore }),
    randomSeed: () => crypto.getRandomValues(new Uint32Array(1))[0] ?? 0,
    cue: (c) => sound.play(c),
  });

  // While a game is on, no toast pops up over the board; a game started in a
  // mode counts as having read its how-to card; a new game forgets the last rank.
  let stage = controller.getState().stage;
  controller.subscribe(() => {
    const now = controller.getState();
    if (now.stage === stage) return;
    stage = now.stage;
    toasts.hold(isBusy(stage));
    if (stage === 'ready') {
      howto.dismiss(now.mode);
      ranks.clear();
    }
  });

  return { clock, session, outbox, controller, achievements, toasts, ranks, late, sound, howto, challenges };
}
