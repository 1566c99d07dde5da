import { useCallback, useEffect, useMemo, useState } from 'react';
import { buttonForKey, isTyping } from './game/keys';
import { useStore } from './hooks/useStore';
import { I18nContext, initialLang, rememberLang, translator, type I18n, type Lang } from './i18n';
import type { Services } from './services';
import { Board } from './components/Board';
import { Header } from './components/Header';
import { Leaderboard } from './components/Leaderboard';
import { ModePanel } from './components/ModePanel';
import type { View } from './components/NavTabs';
import { PendingNotice } from './components/PendingNotice';
import { Profile } from './components/Profile';
import { ResultCard } from './components/ResultCard';
import { ScorePanel } from './components/ScorePanel';
import { StatusCard } from './components/StatusCard';
import { TipsBox } from './components/TipsBox';
import { Toasts } from './components/Toasts';

export function App({ services, lang: startLang }: { services: Services; lang?: Lang }) {
  const { session, outbox, controller, toasts } = services;
  const [lang, setLangState] = useState<Lang>(() => startLang ?? initialLang());
  // A replay link (?replay=<gameId>, as `lightpress review show` prints it) opens the leaderboard with that game playing.
  const [linked] = useState(() => {
    const gameId = new URLSearchParams(window.location.search).get('replay');
    return gameId ? { gameId, nickname: '', score: 0 } : undefined;
  });
  const [view, setView] = useState<View>(linked ? 'leaderboard' : 'play');
  const game = useStore(controller);
  const sessionState = useStore(session);
  const { pending } = useStore(outbox);
  const { toasts: shown } = useStore(toasts);
  const playing = game.stage === 'playing';
  const busy = game.stage === 'playing' || game.stage === 'starting';

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

  // Keyboard play: digits and '-' press the buttons, only on the game view and never while typing.
  useEffect(() => {
    if (view !== 'play') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const b = buttonForKey(e.key);
      if (b === null || controller.getState().stage !== 'playing') return;
      e.preventDefault();
      controller.press(b);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view, controller]);

  // On narrow screens the sidebar sits above the board: bring the game into view when it starts.
  useEffect(() => {
    if (game.stage !== 'playing' || !window.matchMedia?.('(max-width: 920px)').matches) return;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    document.getElementById('status-card')?.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
  }, [game.stage]);

  const press = useCallback((b: number) => controller.press(b), [controller]);
  const elapsed = useCallback(() => controller.elapsed(), [controller]);
  const retry = useCallback(() => void outbox.retryNow(), [outbox]);
  // A new tip after every game.
  const tipKey = game.stage === 'over' ? 1 : 0;

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip-link" href="#board">
        {i18n.t('skipToBoard')}
      </a>
      <div className="app" data-stage={game.stage}>
        <Header session={sessionState} score={game.snapshot?.score ?? 0} view={view} navLocked={busy} onView={setView} />
        <PendingNotice count={pending} onRetry={retry} />
        <main className="main">
          {view === 'play' && (
            <div className="game-layout">
              <aside className="sidebar">
                <ModePanel
                  mode={game.mode}
                  busy={busy}
                  onSelect={(m) => controller.selectMode(m)}
                  onStart={() => void controller.start()}
                  onRestart={() => controller.restart()}
                />
                <ScorePanel snapshot={game.snapshot} />
                <TipsBox refreshKey={tipKey} />
              </aside>
              <div className="play-area">
                <StatusCard snapshot={game.snapshot} message={game.message} playing={playing} elapsed={elapsed} />
                <ResultCard result={game.result} onRetry={retry} />
                <Board lit={game.snapshot?.lit ?? null} phase={game.snapshot?.phase ?? 'idle'} flash={game.flash} playing={playing} onPress={press} />
              </div>
            </div>
          )}
          {view === 'leaderboard' && <Leaderboard playerId={sessionState.player?.id ?? null} initialMode={game.mode} watchFirst={linked} clock={services.clock} />}
          {view === 'profile' && <Profile session={sessionState} onRename={(n) => session.rename(n)} />}
        </main>
      </div>
      <Toasts toasts={shown} onDismiss={(id) => toasts.dismiss(id)} />
    </I18nContext.Provider>
  );
}
