import { ApiError, api, type Player } from '../api';
import { useFetch } from '../hooks/useFetch';
import { useI18n } from '../i18n';
import type { SessionState } from '../session';
import { AchievementList } from './AchievementList';
import { NicknameEditor } from './NicknameEditor';

interface Props {
  session: SessionState;
  onRename: (nickname: string) => Promise<Player>;
}

/** Profile: the player's name (editable), stats, and achievements unlocked and locked. */
export function Profile({ session, onRename }: Props) {
  const { t, lang } = useI18n();
  const { player, token } = session;
  const me = useFetch(`me/${token}`, () => (token ? api.me(token) : Promise.reject(new ApiError(401, 'no token'))));
  const catalogue = useFetch('catalogue', () => api.achievements());
  const unlocked = useFetch(`unlocked/${player?.id}`, () =>
    player ? api.playerAchievements(player.id) : Promise.reject(new ApiError(404, 'no player')),
  );

  if (!player) {
    return (
      <section className="card panel" aria-labelledby="profile-title">
        <h2 id="profile-title" className="card__title">
          {t('profileTitle')}
        </h2>
        <p className="muted">{session.status === 'loading' ? t('connecting') : t('noPlayer')}</p>
      </section>
    );
  }

  const stats = me.status === 'ok' ? me.data.stats : undefined;
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const last = stats?.lastPlayedAt ? new Date(stats.lastPlayedAt) : null;

  return (
    <section className="card panel profile" aria-labelledby="profile-title">
      <h2 id="profile-title" className="card__title">
        {t('profileTitle')}
      </h2>
      {/* Not keyed by the name: a new name would remount it and lose its "saved" note. */}
      <NicknameEditor nickname={player.nickname} onRename={onRename} />

      <h3 className="panel__sub">{t('stats')}</h3>
      {me.status === 'loading' && <p className="muted">{t('loading')}</p>}
      {me.status === 'error' && <p className="muted">{t('statsUnavailable')}</p>}
      {me.status === 'ok' && (
        <dl className="stats-grid stats-grid--wide" data-testid="profile-stats">
          <div>
            <dt>{t('gamesPlayed')}</dt>
            <dd>{stats?.gamesPlayed ?? 0}</dd>
          </div>
          <div>
            <dt>{t('bestClassic')}</dt>
            <dd>{stats?.bestScore?.classic ?? 0}</dd>
          </div>
          <div>
            <dt>{t('bestMemory')}</dt>
            <dd>{stats?.bestScore?.memory ?? 0}</dd>
          </div>
          <div>
            <dt>{t('lastPlayed')}</dt>
            <dd>{last && !Number.isNaN(last.getTime()) ? date.format(last) : t('never')}</dd>
          </div>
          <div>
            <dt>{t('achievements')}</dt>
            <dd>{stats?.achievements ?? 0}</dd>
          </div>
        </dl>
      )}

      <h3 className="panel__sub">{t('achievements')}</h3>
      {(catalogue.status === 'loading' || unlocked.status === 'loading') && <p className="muted">{t('loading')}</p>}
      {catalogue.status === 'error' && <p className="muted">{t('achievementsUnavailable')}</p>}
      {catalogue.status === 'ok' && unlocked.status !== 'loading' && (
        <AchievementList catalogue={catalogue.data} unlocked={unlocked.status === 'ok' ? unlocked.data : []} />
      )}
    </section>
  );
}
