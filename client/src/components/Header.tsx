import { useI18n } from '../i18n';
import type { SessionState } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { MuteToggle } from './MuteToggle';
import { NavTabs, type View } from './NavTabs';

interface Props {
  session: SessionState;
  score: number;
  view: View;
  navLocked: boolean;
  onView: (v: View) => void;
  muted: boolean;
  onToggleSound: () => void;
}

/** Header: the LightPress title, the sections, the player's name and the current score. */
export function Header({ session, score, view, navLocked, onView, muted, onToggleSound }: Props) {
  const { t } = useI18n();
  const name = session.player?.nickname ?? (session.status === 'loading' ? t('connecting') : t('guest'));
  return (
    <header className="topbar">
      <h1 className="topbar__title">{t('title')}</h1>
      <NavTabs view={view} locked={navLocked} onChange={onView} />
      <div className="topbar__player">
        <span className="topbar__label">{t('player')}</span>
        <span className="topbar__name" data-testid="nickname">
          {name}
        </span>
        {session.status === 'offline' && (
          <span className="topbar__offline" title={t('offline')} aria-label={t('offline')}>
            ⚠
          </span>
        )}
      </div>
      <div className="topbar__score" aria-label={`${t('score')}: ${score}`}>
        <span className="topbar__label">{t('score')}</span>
        <span className="topbar__value">{score}</span>
      </div>
      <MuteToggle muted={muted} onToggle={onToggleSound} />
      <LanguageSwitch />
    </header>
  );
}
