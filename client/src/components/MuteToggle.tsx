import { useI18n } from '../i18n';

/** MuteToggle switches the game's sound on and off; the choice is remembered (SoundBoard). */
export function MuteToggle({ muted, onToggle }: { muted: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="btn btn--tiny btn--sound"
      data-testid="mute"
      data-muted={muted || undefined}
      aria-pressed={!muted}
      aria-label={t('sound')}
      title={t('sound')}
      onClick={onToggle}
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
        {muted ? (
          <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        ) : (
          <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" stroke="currentColor" strokeWidth="2" fill="none" strokeLinecap="round" />
        )}
      </svg>
    </button>
  );
}
