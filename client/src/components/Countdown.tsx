import { useI18n } from '../i18n';

/**
 * Countdown covers the board during the ready beat: 3, 2, 1 in large
 * figures, then the first light. The status card announces the same beats
 * to screen readers, so this one is hidden from them.
 */
export function Countdown({ beats, practice }: { beats: number; practice: boolean }) {
  const { t } = useI18n();
  return (
    <div className="overlay overlay--countdown" data-testid="countdown" data-value={beats} aria-hidden="true">
      <span key={beats} className="countdown__beat">
        {beats > 0 ? beats : '…'}
      </span>
      {beats === 0 && <p className="overlay__note">{t('msgStarting')}</p>}
      {practice && <p className="overlay__note overlay__note--bad">{t('practiceNote')}</p>}
    </div>
  );
}
