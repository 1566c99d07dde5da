import type { Entry } from '../api';
import { useI18n } from '../i18n';

interface Props {
  caption: string;
  entries: Entry[];
  playerId: string | null;
  testId: string;
  /** changed: players whose rows just changed (the live board), highlighted for a moment. */
  changed?: Set<string>;
  /** onWatch opens the replay of a row's game; without it there is no replay column. */
  onWatch?: (entry: Entry, opener: HTMLButtonElement) => void;
}

/** LeaderboardTable lists entries by rank; the player's own row is highlighted; each row's game can be watched. */
export function LeaderboardTable({ caption, entries, playerId, testId, changed, onWatch }: Props) {
  const { t } = useI18n();
  return (
    <table className="lb-table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('rank')}</th>
          <th scope="col">{t('nickname')}</th>
          <th scope="col" className="num">
            {t('score')}
          </th>
          <th scope="col" className="num">
            {t('lbLevel')}
          </th>
          {onWatch && (
            <th scope="col">
              <span className="visually-hidden">{t('replayColumn')}</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const me = e.playerId === playerId;
          const isNew = changed?.has(e.playerId) ?? false;
          return (
            <tr
              key={`${e.rank}-${e.playerId}`}
              className={[me && 'is-me', isNew && 'is-changed'].filter(Boolean).join(' ') || undefined}
              data-changed={isNew || undefined}
              aria-current={me ? 'true' : undefined}
              data-testid="leaderboard-row"
              data-player-id={e.playerId}
              data-score={e.score}
              data-me={me || undefined}
            >
              <td>#{e.rank}</td>
              <td>
                {e.nickname}
                {me && <span className="lb-table__you"> ({t('you')})</span>}
              </td>
              <td className="num">{e.score}</td>
              <td className="num">{e.level}</td>
              {onWatch && (
                <td className="lb-table__watch">
                  <button
                    type="button"
                    className="btn btn--small"
                    data-testid="leaderboard-watch"
                    data-game-id={e.gameId}
                    aria-label={t('watchLabel', { name: e.nickname, score: e.score })}
                    onClick={(ev) => onWatch(e, ev.currentTarget)}
                  >
                    {t('watch')}
                  </button>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
