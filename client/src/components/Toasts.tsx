import { useI18n } from '../i18n';
import type { Toast } from '../toasts';

/** Toasts announces achievements unlocked by the last game. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const { t, lang } = useI18n();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map(({ id, achievement }) => (
        <div key={id} className="toast" data-testid="toast">
          <div>
            <p className="toast__title">★ {t('achievementUnlocked')}</p>
            <p className="toast__name">{achievement.name[lang] || achievement.id}</p>
            {achievement.description[lang] && <p className="toast__desc">{achievement.description[lang]}</p>}
          </div>
          <button type="button" className="toast__close" aria-label={t('close')} onClick={() => onDismiss(id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
