import { useI18n, type MessageKey } from '../i18n';
import type { Mode } from '../rules';

const STEPS: Record<Mode, readonly MessageKey[]> = {
  classic: ['howToClassic1', 'howToClassic2', 'howToClassic3'],
  memory: ['howToMemory1', 'howToMemory2', 'howToMemory3'],
};

/** HowToPlay is the first visit's card for a mode, over the idle board; "Entendido" closes it for good. */
export function HowToPlay({ mode, onDismiss }: { mode: Mode; onDismiss: () => void }) {
  const { t } = useI18n();
  return (
    <section className="overlay overlay--howto" data-testid="howto" data-mode={mode} aria-labelledby="howto-title">
      <h3 id="howto-title" className="overlay__title">
        {t('howToTitle', { mode: t(mode) })}
      </h3>
      <ol className="howto__steps">
        {STEPS[mode].map((k) => (
          <li key={k}>{t(k)}</li>
        ))}
      </ol>
      <p className="howto__keys">{t('howToKeys')}</p>
      <button type="button" className="btn btn--small btn--primary-small" data-testid="howto-dismiss" onClick={onDismiss}>
        {t('howToDismiss')}
      </button>
    </section>
  );
}
