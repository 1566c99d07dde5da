import { useI18n } from '../i18n';

export type View = 'play' | 'leaderboard' | 'profile';

const VIEWS: readonly [View, 'navPlay' | 'navLeaderboard' | 'navProfile'][] = [
  ['play', 'navPlay'],
  ['leaderboard', 'navLeaderboard'],
  ['profile', 'navProfile'],
];

/** NavTabs switches between the game, the leaderboard and the profile (not during a game). */
export function NavTabs({ view, locked, onChange }: { view: View; locked: boolean; onChange: (v: View) => void }) {
  const { t } = useI18n();
  return (
    <nav className="nav" aria-label={t('navLabel')}>
      {VIEWS.map(([v, key]) => (
        <button
          key={v}
          type="button"
          className="btn btn--nav"
          data-view={v}
          aria-current={view === v ? 'page' : undefined}
          disabled={locked && view !== v}
          onClick={() => onChange(v)}
        >
          {t(key)}
        </button>
      ))}
    </nav>
  );
}
