import { useCallback, useState } from 'react';
import { api, type Entry } from '../api';
import { useFetch } from '../hooks/useFetch';
import { useLiveBoard } from '../hooks/useLiveBoard';
import { useI18n } from '../i18n';
import type { LiveBoards } from '../live';
import type { Mode } from '../rules';
import { LeaderboardTable } from './LeaderboardTable';
import { Segmented } from './Segmented';

/** BOARD_SIZE is how many rows of the day's board the challenge card shows. */
export const BOARD_SIZE = 5;

interface Props {
  playerId: string | null;
  mode: Mode;
  onMode: (mode: Mode) => void;
  /** onBoard gets every top read or pushed, with its periodKey (the day it is of). */
  onBoard?: (mode: Mode, periodKey: string, entries: Entry[]) => void;
  live?: LiveBoards;
}

/** ChallengeBoard is today's daily challenge board of a mode (its top 5), following the live board. */
export function ChallengeBoard({ playerId, mode, onMode, onBoard, live }: Props) {
  const { t } = useI18n();
  const top = useFetch(`challenge/${mode}`, (signal) =>
    api.leaderboard(mode, 'challenge', BOARD_SIZE, signal).then((p) => {
      onBoard?.(mode, p.periodKey, p.entries ?? []);
      return p;
    }),
  );
  const [pushed, setPushed] = useState<{ mode: Mode; entries: Entry[] } | null>(null);
  const reread = useCallback(() => {
    api.leaderboard(mode, 'challenge', BOARD_SIZE).then(
      (p) => {
        setPushed({ mode, entries: p.entries ?? [] });
        onBoard?.(mode, p.periodKey, p.entries ?? []);
      },
      () => {}, // the board on screen stays; the next push or poll repairs it
    );
  }, [mode, onBoard]);
  useLiveBoard(
    mode,
    'challenge',
    (c) => {
      setPushed({ mode: c.mode, entries: c.entries });
      onBoard?.(c.mode, c.periodKey, c.entries);
    },
    reread,
    live,
  );
  const entries = pushed?.mode === mode ? pushed.entries : top.status === 'ok' ? (top.data.entries ?? []) : null;

  return (
    <div className="challenge__board" data-testid="challenge-board">
      <h3 className="panel__sub">{t('challengeBoard')}</h3>
      <Segmented
        name="challenge-board"
        label={t('challengeBoard')}
        value={mode}
        onChange={onMode}
        options={[
          { value: 'classic', text: t('classic') },
          { value: 'memory', text: t('memory') },
        ]}
      />
      <div aria-live="polite" aria-busy={top.status === 'loading'}>
        {top.status === 'loading' && !entries && <p className="muted">{t('loading')}</p>}
        {top.status === 'error' && !entries && <p className="muted">{t('lbUnavailable')}</p>}
        {entries &&
          (entries.length ? (
            <LeaderboardTable caption={t('challengeBoard')} entries={entries.slice(0, BOARD_SIZE)} playerId={playerId} testId="challenge-top" />
          ) : (
            <p className="muted">{t('challengeBoardEmpty')}</p>
          ))}
      </div>
    </div>
  );
}
