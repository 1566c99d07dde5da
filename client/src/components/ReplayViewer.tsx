import { useEffect, useMemo, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { api, type GameReplay } from '../api';
import { browserClock, type Clock } from '../game/clock';
import { ReplayPlayer, type ReplaySpeed } from '../game/replay';
import { useFetch } from '../hooks/useFetch';
import { useStore } from '../hooks/useStore';
import { useI18n } from '../i18n';
import { Board } from './Board';
import { ScorePanel } from './ScorePanel';
import { Segmented } from './Segmented';

/** WatchTarget is the board row a replay was opened from. */
export interface WatchTarget {
  gameId: string;
  nickname: string;
  score: number;
  rank?: number;
}

interface Props {
  target: WatchTarget;
  onClose: () => void;
  clock?: Clock;
  load?: (gameId: string, signal: AbortSignal) => Promise<GameReplay>;
}

/**
 * ReplayViewer is a dialog that plays a game back on the real board with the
 * real rules engine (the presses the server kept, at their own times): 1x or
 * 2x, pause, from the start. The rules' final score is shown beside the board's,
 * so anyone can see a score is what the presses earn.
 */
export function ReplayViewer({ target, onClose, clock = browserClock, load = api.replay }: Props) {
  const { t } = useI18n();
  const replay = useFetch(target.gameId, (signal) => load(target.gameId, signal));
  const closeRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCloseRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // A modal dialog keeps the keyboard inside it: Tab from the last control
  // goes to the first, Shift+Tab from the first to the last.
  const trapTab = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Tab' || !dialogRef.current) return;
    const controls = [...dialogRef.current.querySelectorAll<HTMLElement>('button:not([aria-disabled="true"]), [href], input')];
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  // A link (?replay=) knows only the game; the replay itself names the player.
  const loaded = replay.status === 'ok' ? replay.data : null;
  const name = loaded?.nickname || target.nickname;
  const score = loaded?.score ?? target.score;
  const title = t('replayTitle', { name });
  return (
    <div className="replay-backdrop" data-testid="replay">
      <section ref={dialogRef} className="card replay" role="dialog" aria-modal="true" aria-labelledby="replay-title" onKeyDown={trapTab}>
        <div className="panel__head">
          <h2 id="replay-title" className="card__title">
            {title}
          </h2>
          <button ref={closeRef} type="button" className="btn btn--small" data-testid="replay-close" onClick={onClose}>
            {t('close')}
          </button>
        </div>
        <p className="muted">
          {target.rank !== undefined ? t('replayRank', { rank: target.rank, score }) : t('replayScore', { score })}
        </p>
        {replay.status === 'loading' && <p className="muted">{t('loading')}</p>}
        {replay.status === 'error' && (
          <p className="muted" data-testid="replay-unavailable">
            {t('replayUnavailable')}
          </p>
        )}
        {loaded && <ReplayStage data={loaded} clock={clock} score={score} />}
      </section>
    </div>
  );
}

/** ReplayStage plays one loaded replay: board, numbers and controls. */
function ReplayStage({ data, clock, score }: { data: GameReplay; clock: Clock; score: number }) {
  const { t } = useI18n();
  const player = useMemo(
    () => new ReplayPlayer({ mode: data.mode, seed: data.seed >>> 0, presses: data.presses, endedAt: data.endedAt }, clock),
    [data, clock],
  );
  const s = useStore(player);
  useEffect(() => {
    player.play();
    return () => player.dispose();
  }, [player]);
  // The board only shows the game: its buttons stay readable for screen
  // readers (lit or not) but out of the Tab order, which goes to the controls.
  const boardRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const b of boardRef.current?.querySelectorAll('button') ?? []) b.tabIndex = -1;
  }, []);

  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  return (
    <div className="replay__stage">
      <div className="replay__numbers">
        <ScorePanel snapshot={s.snapshot} />
      </div>
      <div ref={boardRef} className="replay__board" data-testid="replay-board" data-now={s.now} data-done={s.done || undefined}>
        <Board lit={s.snapshot.lit} phase={s.snapshot.phase} flash={s.flash} playing={false} onPress={() => {}} />
      </div>
      <div className="replay__controls">
        <button
          type="button"
          className="btn"
          data-testid="replay-toggle"
          aria-pressed={s.playing}
          onClick={() => (s.playing ? player.pause() : player.play())}
        >
          {s.playing ? t('replayPause') : s.done ? t('replayAgain') : t('replayPlay')}
        </button>
        <button type="button" className="btn btn--small" data-testid="replay-restart" onClick={() => player.restart()}>
          {t('replayRestart')}
        </button>
        <Segmented<`${ReplaySpeed}`>
          name="replay-speed"
          label={t('replaySpeed')}
          value={`${s.speed}`}
          onChange={(v) => player.setSpeed(v === '2' ? 2 : 1)}
          options={[
            { value: '1', text: '1×' },
            { value: '2', text: '2×' },
          ]}
        />
        <label className="replay__time">
          <span className="visually-hidden">{t('replayProgress')}</span>
          <progress max={Math.max(1, s.duration)} value={s.now} />
          <span data-testid="replay-time">{t('replayTime', { now: seconds(s.now), total: seconds(s.duration) })}</span>
        </label>
      </div>
      <p role="status" aria-live="polite" className="replay__end" data-testid="replay-end" data-score={s.done ? s.snapshot.score : undefined}>
        {s.done && (s.snapshot.score === score ? t('replayDone', { score: s.snapshot.score }) : t('replayDiffers', { score: s.snapshot.score }))}
      </p>
    </div>
  );
}
