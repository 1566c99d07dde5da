import { useCallback, useEffect, useState } from 'react';
import { api, type Entry } from '../api';
import { challengeNumber, msUntilNextChallenge, shareText } from '../challenge';
import type { Attempt, ChallengeStore } from '../challengeStore';
import { useStore } from '../hooks/useStore';
import { useI18n } from '../i18n';
import type { LiveBoards } from '../live';
import type { RankWatch } from '../rankWatch';
import type { Mode } from '../rules';
import { gameLink, shareResult } from '../share';
import { ChallengeBoard } from './ChallengeBoard';
import './DailyChallenge.css';

const MODES: readonly Mode[] = ['classic', 'memory'];

/** TICK_MS: the card looks at the clock once a minute (the countdown, a new day). */
const TICK_MS = 60_000;

interface Props {
  challenges: ChallengeStore;
  /** ranks watches the boards after a game: the challenge's rank of a game just played comes from it. */
  ranks: RankWatch;
  playerId: string | null;
  /** busy: a game is being played or started; no challenge starts meanwhile. */
  busy: boolean;
  onPlay: (mode: Mode) => void;
  live?: LiveBoards;
}

type RowState = 'none' | 'playing' | 'waiting' | 'accepted' | 'rejected' | 'held';

function rowState(a: Attempt | undefined, busy: boolean): RowState {
  if (!a) return 'none';
  if (!a.result) return busy ? 'playing' : 'waiting';
  return a.result.status;
}

/**
 * DailyChallenge is the "Reto diario" card: today's number, whether the
 * player has played each mode, their result and rank, a share text that
 * spoils nothing, and the board of the day.
 */
export function DailyChallenge({ challenges, ranks: rankWatch, playerId, busy, onPlay, live }: Props) {
  const { t, lang } = useI18n();
  const state = useStore(challenges);
  const watched = useStore(rankWatch);
  const [, setTick] = useState(0);
  const [boardMode, setBoardMode] = useState<Mode>('classic');
  const [ranks, setRanks] = useState<Partial<Record<Mode, number>>>({});
  const [copied, setCopied] = useState<Mode | null>(null);

  useEffect(() => {
    void challenges.refresh();
    const timer = window.setInterval(() => {
      challenges.tick();
      setTick((n) => n + 1);
    }, TICK_MS);
    return () => window.clearInterval(timer);
  }, [challenges]);

  // The player's rank on today's board, read once per mode: it also tells a
  // game played on another device (404: no score there yet).
  useEffect(() => {
    setRanks({}); // a new day, or another player: nothing known yet
    if (!playerId) return;
    let stop = false;
    for (const mode of MODES) {
      api.playerRank(mode, playerId, 'challenge', 0).then(
        (r) => {
          if (stop) return;
          setRanks((prev) => ({ ...prev, [mode]: r.entry.rank }));
          challenges.onBoard(mode, challenges.getState().day, r.entry);
        },
        () => {},
      );
    }
    return () => {
      stop = true;
    };
  }, [playerId, state.day, challenges]);

  // A game just played here: its rank arrives through the rank watch.
  useEffect(() => {
    const c = watched.challenge;
    if (c?.status !== 'ranked') return;
    const mode = MODES.find((m) => challenges.getState().attempts[m]?.gameId === watched.gameId);
    if (mode) setRanks((prev) => (prev[mode] === c.rank ? prev : { ...prev, [mode]: c.rank }));
  }, [watched, challenges]);

  const onBoard = useCallback(
    (mode: Mode, periodKey: string, entries: Entry[]) => {
      const mine = entries.find((e) => e.playerId === playerId);
      if (!mine || periodKey !== challenges.getState().day) return;
      setRanks((prev) => (prev[mode] === mine.rank ? prev : { ...prev, [mode]: mine.rank }));
      challenges.onBoard(mode, periodKey, mine);
    },
    [playerId, challenges],
  );

  const share = async (mode: Mode, text: string) => {
    // Cancelled or failed: the text is on screen to copy by hand.
    if ((await shareResult({ title: t('challengeTitle'), text, url: gameLink(location.origin) })) === 'copied') setCopied(mode);
  };

  const left = msUntilNextChallenge(challenges.now());
  const n = challengeNumber(state.day);

  return (
    <section className="card challenge" aria-labelledby="challenge-title" data-testid="challenge" data-day={state.day}>
      <h2 id="challenge-title" className="card__title">
        {t('challengeTitle')}
        <span className="challenge__number" data-testid="challenge-number">
          {t('challengeNumber', { n })}
        </span>
      </h2>
      <p className="challenge__intro muted">
        {t('challengeIntro')} <span className="challenge__date">{t('challengeDate', { date: state.day })}</span>
      </p>
      <ul className="challenge__modes">
        {MODES.map((mode) => {
          const a = state.attempts[mode];
          const st = rowState(a, busy);
          const score = a?.result?.score ?? 0;
          const text = st === 'accepted' ? shareText(state.day, mode, score, lang) : null;
          return (
            <li key={mode} className="challenge__row" data-testid={`challenge-${mode}`} data-state={st} data-score={st === 'accepted' ? score : undefined}>
              <span className="challenge__mode">{t(mode)}</span>
              {st === 'none' && (
                <button
                  type="button"
                  className="btn btn--small btn--primary"
                  data-testid={`challenge-play-${mode}`}
                  aria-label={t('challengePlayLabel', { mode: t(mode) })}
                  disabled={busy}
                  onClick={() => onPlay(mode)}
                >
                  {t('challengePlay')}
                </button>
              )}
              <span className="challenge__status">
                {st === 'none' && t('challengeNotPlayed')}
                {st === 'playing' && t('challengePlaying')}
                {st === 'waiting' && t('challengeWaiting')}
                {st === 'accepted' && (
                  <>
                    <strong>{t('challengeScore', { score })}</strong>
                    {ranks[mode] ? ` · ${t('challengeRank', { rank: ranks[mode] })}` : ''}
                  </>
                )}
                {st === 'rejected' && t('challengeRejected')}
                {st === 'held' && t('challengeHeld')}
              </span>
              {text && (
                <span className="challenge__share">
                  <output className="challenge__share-text" data-testid={`challenge-share-text-${mode}`}>
                    {text}
                  </output>
                  <button
                    type="button"
                    className="btn btn--small"
                    data-testid={`challenge-share-${mode}`}
                    aria-label={t('challengeShareLabel', { mode: t(mode) })}
                    onClick={() => void share(mode, text)}
                  >
                    {copied === mode ? t('challengeCopied') : t('challengeShare')}
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <ChallengeBoard playerId={playerId} mode={boardMode} onMode={setBoardMode} onBoard={onBoard} live={live} />
      <p className="challenge__next muted">
        {t('challengeNext', { h: Math.floor(left / 3_600_000), m: Math.floor((left % 3_600_000) / 60_000) })}
      </p>
    </section>
  );
}
