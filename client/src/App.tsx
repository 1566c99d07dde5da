import { useCallback, useEffect, useMemo, useState } from 'react';
import { isBusy } from './game/controller';
import { buttonForKey, isControl, isTyping } from './game/keys';
import { useStore } from './hooks/useStore';
import { I18nContext, LANG_KEY, initialLang, rememberLang, translator, type I18n, type Lang } from './i18n';
import type { Services } from './services';
import { Board } from './components/Board';
import { BoardOverlay } from './components/BoardOverlay';
import { DailyChallenge } from './components/DailyChallenge';
import { Header } from './components/Header';
import { Leaderboard } from './components/Leaderboard';
import { ModePanel } from './components/ModePanel';
import type { View } from './components/NavTabs';
import { PendingNotice } from './components/PendingNotice';
import { RecoveryPanel } from './components/RecoveryPanel';
import { SessionNotice } from './components/SessionNotice';
import { Profile } from './components/Profile';
import { RefusedNotice } from './components/RefusedNotice';
import { ScorePanel } from './components/ScorePanel';
import { StatusCard } from './components/StatusCard';
import { TipsBox } from './components/TipsBox';
import { Toasts } from './components/Toasts';
import { watchStorage } from './tabs';

export function App({ services, lang: startLang }: { services: Services; lang?: Lang }) {
  const { session, outbox, controller, toasts, ranks, late, sound, howto, challenges } = services;
  const [lang, setLangState] = useState<Lang>(() => startLang ?? initialLang());
  // A replay link (?replay=<gameId>, as `lightpress review show` prints it) opens the leaderboard with that game playing.
  const [linked] = useState(() => {
    const gameId = new URLSearchParams(window.location.search).get('replay');
    return gameId ? { gameId, nickname: '', score: 0 } : undefined;
  });
  const [view, setView] = useState<View>(linked ? 'leaderboard' : 'play');
  const game = useStore(controller);
  const sessionState = useStore(session);
  const { waiting } = useStore(outbox);
  const { toast } = useStore(toasts);
  const rankState = useStore(ranks);
  const { refused } = useStore(late);
  const { muted } = useStore(sound);
  const howtoState = useStore(howto);
  const playing = game.stage === 'playing';
  const busy = isBusy(game.stage);

  const i18n = useMemo<I18n>(
    () => ({
      lang,
      t: translator(lang),
      setLang: (l) => {
        setLangState(l);
        rememberLang(l);
        void session.setLocale(l);
      },
    }),
    [lang, session],
  );

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // A language chosen in another tab shows here too.
  useEffect(() => watchStorage(LANG_KEY, (v) => (v === 'es' || v === 'en') && setLangState(v)), []);

  // Keyboard play, only on the game view and never while typing: digits and
  // '-' press the buttons; Enter or Space outside any control start a game
  // when none is on, and do nothing during one (no page scroll, never an end).
  useEffect(() => {
    if (view !== 'play') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === 'Enter' || e.key === ' ') {
        if (isControl(e.target)) return; // a focused button answers its own keys
        e.preventDefault();
        if (!e.repeat && !controller.busy) controller.keyStart();
        return;
      }
      if (e.repeat) return;
      const b = buttonForKey(e.key);
      if (b === null || controller.getState().stage !== 'playing') return;
      e.preventDefault();
      controller.press(b);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view, controller]);

  // A game starting takes the focus to the board: the next Space of a keyboard
  // player lands on no button. On narrow screens the sidebar sits above the
  // board: bring the game into view during the countdown.
  useEffect(() => {
    if (game.stage !== 'ready') return;
    document.getElementById('board')?.focus({ preventScroll: true });
    if (!window.matchMedia?.('(max-width: 920px)').matches) return;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    document.getElementById('status-card')?.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
  }, [game.stage]);

  const press = useCallback((b: number) => controller.press(b), [controller]);
  const elapsed = useCallback(() => controller.elapsed(), [controller]);
  const retry = useCallback(() => void outbox.retryNow(), [outbox]);
  const park = useCallback((parked: boolean) => toasts.park(parked), [toasts]);
  // A new tip after every game.
  const tipKey = game.stage === 'over' ? 1 : 0;

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip-link" href="#board">
        {i18n.t('skipToBoard')}
      </a>
      <div className="app" data-stage={game.stage}>
        <Header
          session={sessionState}
          score={game.snapshot?.score ?? 0}
          view={view}
          navLocked={busy}
          onView={setView}
          muted={muted}
          onToggleSound={() => sound.toggle()}
        />
        <PendingNotice count={waiting} onRetry={retry} />
        <RefusedNotice refused={refused} onDismiss={(id) => late.dismiss(id)} />
        <SessionNotice state={sessionState} session={session} />
        <main className="main">
          {view === 'play' && (
            <div className="game-layout">
              <aside className="sidebar">
                <ModePanel
                  mode={game.mode}
                  stage={game.stage}
                  confirmRestart={game.confirmRestart}
                  onSelect={(m) => controller.selectMode(m)}
                  onStart={() => void controller.start()}
                  onRestart={() => controller.restart()}
                  onEnd={() => controller.end()}
                  onHelp={() => howto.open(game.mode)}
                />
                <DailyChallenge
                  challenges={challenges}
                  ranks={ranks}
                  playerId={sessionState.player?.id ?? null}
                  busy={busy}
                  onPlay={(m) => {
                    controller.selectMode(m);
                    void controller.start('daily');
                  }}
                />
                <ScorePanel snapshot={game.snapshot} />
                <TipsBox refreshKey={tipKey} />
              </aside>
              <div className="play-area">
                <StatusCard snapshot={game.snapshot} message={game.message} playing={playing} practice={game.practice} elapsed={elapsed} />
                <Board
                  lit={game.snapshot?.lit ?? null}
                  phase={busy && !playing ? 'ready' : (game.snapshot?.phase ?? 'idle')}
                  flash={game.flash}
                  playing={playing}
                  onPress={press}
                  overlay={
                    <BoardOverlay
                      game={game}
                      howto={howtoState}
                      ranks={rankState}
                      onDismissHowTo={() => howto.dismiss(game.mode)}
                      onPlayAgain={() => void controller.start()}
                      onRetry={retry}
                    />
                  }
                />
              </div>
            </div>
          )}
          {view === 'leaderboard' && <Leaderboard playerId={sessionState.player?.id ?? null} initialMode={game.mode} watchFirst={linked} clock={services.clock} />}
          {view === 'profile' && <Profile session={sessionState} onRename={(n) => session.rename(n)} />}
          {view === 'profile' && <RecoveryPanel state={sessionState} session={session} />}
        </main>
      </div>
      <Toasts toast={toast} onDismiss={() => toasts.dismiss()} onPark={park} />
    </I18nContext.Provider>
  );
}
