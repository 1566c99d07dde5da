import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Entry, type Period, type PlayerRank } from '../api';
import type { Clock } from '../game/clock';
import { useFetch } from '../hooks/useFetch';
import { useLiveBoard } from '../hooks/useLiveBoard';
import { changedRows, type LiveBoards } from '../live';
import { useI18n } from '../i18n';
import type { Mode } from '../rules';
import { LeaderboardTable } from './LeaderboardTable';
import { ReplayViewer, type WatchTarget } from './ReplayViewer';
import { Segmented } from './Segmented';

/** aroundMe merges the player's entry and neighbours in rank order. */
function aroundMe(r: PlayerRank): Entry[] {
  const byRank = new Map<string, Entry>();
  for (const e of [...(r.neighbors ?? []), r.entry]) if (e) byRank.set(`${e.rank}-${e.playerId}`, e);
  return [...byRank.values()].sort((a, b) => a.rank - b.rank);
}

/**
 * Leaderboard is the top 10 per mode and period, and the player's rank with
 * neighbours; any row's game can be watched in the replay viewer (and
 * `watchFirst`, from a ?replay= link, opens one at once).
 */
export function Leaderboard({
  playerId,
  initialMode,
  watchFirst,
  clock,
  live,
}: {
  playerId: string | null;
  initialMode: Mode;
  watchFirst?: WatchTarget;
  clock?: Clock;
  live?: LiveBoards;
}) {
  const { t } = useI18n();
  const [watching, setWatching] = useState<WatchTarget | null>(watchFirst ?? null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const watch = useCallback((e: Entry, button: HTMLButtonElement) => {
    opener.current = button;
    setWatching({ gameId: e.gameId, nickname: e.nickname, score: e.score, rank: e.rank });
  }, []);
  const closeReplay = useCallback(() => {
    setWatching(null);
    opener.current?.focus(); // back where the player was
  }, []);
  const [mode, setMode] = useState<Mode>(initialMode);
  const [period, setPeriod] = useState<Period>('all');
  const top = useFetch(`${mode}/${period}`, (signal) => api.leaderboard(mode, period, 10, signal));
  const mine = useFetch(`${mode}/${period}/${playerId}`, (signal) =>
    playerId ? api.playerRank(mode, playerId, period, 2, signal) : Promise.reject(new ApiError(404, 'no player')),
  );
  const refresh = () => {
    top.reload();
    mine.reload();
  };
  // The live board: pushed tops (and silent rereads) replace the fetched
  // one in place, their new or moved rows highlighted for a moment.
  const key = `${mode}/${period}`;
  const [fresh, setFresh] = useState<{ key: string; entries: Entry[]; changed: Set<string> } | null>(null);
  const entries = fresh?.key === key ? fresh.entries : top.status === 'ok' ? (top.data.entries ?? []) : null;
  const shown = useRef({ key, entries });
  shown.current = { key, entries };
  const apply = useCallback(
    (forKey: string, next: Entry[]) => {
      const { key: now, entries: prev } = shown.current;
      if (forKey !== now) return;
      const changed = changedRows(prev ?? [], next);
      setFresh({ key: forKey, entries: next, changed });
      if (playerId && [...(prev ?? []), ...next].some((e) => e.playerId === playerId && changed.has(e.playerId))) mine.reload();
    },
    [playerId, mine.reload],
  );
  const reread = useCallback(() => {
    api.leaderboard(mode, period, 10).then(
      (p) => apply(`${p.mode}/${p.period}`, p.entries ?? []),
      () => {}, // the board on screen stays; the next push or poll repairs it
    );
  }, [mode, period, apply]);
  const liveStatus = useLiveBoard(mode, period, (c) => apply(`${c.mode}/${c.period}`, c.entries), reread, live);
  useEffect(() => {
    if (!fresh?.changed.size) return;
    const t = window.setTimeout(() => setFresh((f) => (f ? { ...f, changed: new Set() } : f)), 2500);
    return () => window.clearTimeout(t);
  }, [fresh]);

  // Today's daily challenge's games are replayed once the day is over
  // (docs/CHALLENGE.md): until then the board offers no replay.
  const replayable = period === 'challenge' ? undefined : watch;

  return (
    <section className="card panel leaderboard" aria-labelledby="lb-title">
      <div className="panel__head">
        <h2 id="lb-title" className="card__title">
          {t('leaderboardTitle')}
        </h2>
        <span className="live-badge" data-testid="live-status" data-status={liveStatus} hidden={liveStatus !== 'live'}>
          {t('liveOn')}
        </span>
        <button type="button" className="btn btn--small" data-testid="leaderboard-refresh" onClick={refresh}>
          {t('refresh')}
        </button>
      </div>
      <div className="panel__tabs">
        <Segmented
          name="lb-mode"
          label={t('modeTabs')}
          value={mode}
          onChange={setMode}
          options={[
            { value: 'classic', text: t('classic') },
            { value: 'memory', text: t('memory') },
          ]}
        />
        <Segmented
          name="lb-period"
          label={t('periodTabs')}
          value={period}
          onChange={setPeriod}
          options={[
            { value: 'all', text: t('periodAll') },
            { value: 'day', text: t('periodDay') },
            { value: 'week', text: t('periodWeek') },
            { value: 'challenge', text: t('periodChallenge') },
          ]}
        />
      </div>

      <div aria-live="polite" aria-busy={top.status === 'loading'}>
        {top.status === 'loading' && <p className="muted">{t('loading')}</p>}
        {top.status === 'error' && <p className="muted" data-testid="leaderboard-unavailable">{t('lbUnavailable')}</p>}
        {top.status === 'ok' &&
          (entries?.length ? (
            <LeaderboardTable
              caption={t('leaderboardTitle')}
              entries={entries}
              playerId={playerId}
              testId="leaderboard-top"
              changed={fresh?.key === key ? fresh.changed : undefined}
              onWatch={replayable}
            />
          ) : (
            <p className="muted">{t('lbEmpty')}</p>
          ))}
      </div>

      <h3 className="panel__sub">{t('yourRank')}</h3>
      <div aria-live="polite">
        {mine.status === 'loading' && <p className="muted">{t('loading')}</p>}
        {mine.status === 'error' && (
          <p className="muted" data-testid="leaderboard-no-rank">
            {mine.error.status === 404 ? t('noRankYet') : t('lbUnavailable')}
          </p>
        )}
        {mine.status === 'ok' && mine.data.entry && (
          <LeaderboardTable caption={t('yourRank')} entries={aroundMe(mine.data)} playerId={playerId} testId="leaderboard-mine" onWatch={replayable} />
        )}
      </div>
      {watching && <ReplayViewer target={watching} onClose={closeReplay} clock={clock} />}
    </section>
  );
}
