import { useI18n } from '../i18n';
import type { Mode } from '../rules';

interface Props {
  mode: Mode;
  busy: boolean;
  onSelect: (mode: Mode) => void;
  onStart: () => void;
  onRestart: () => void;
}

const MODES: readonly Mode[] = ['classic', 'memory'];

/** ModePanel is "Modo de juego": Clásico / Memoria (fixed during a game) and Iniciar / Reiniciar. */
export function ModePanel({ mode, busy, onSelect, onStart, onRestart }: Props) {
  const { t } = useI18n();
  return (
    <section className="card mode-panel" aria-labelledby="mode-title">
      <h2 id="mode-title" className="card__title">
        {t('modeTitle')}
      </h2>
      <div className="mode-panel__modes" role="group" aria-labelledby="mode-title">
        {MODES.map((m) => (
          <button
            key={m}
            type="button"
            className="btn btn--mode"
            data-mode={m}
            aria-pressed={mode === m}
            disabled={busy}
            onClick={() => onSelect(m)}
          >
            {t(m)}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="btn btn--primary"
        data-testid="start"
        aria-label={busy ? t('restartLabel') : t('startLabel')}
        onClick={busy ? onRestart : onStart}
      >
        {busy ? t('restart') : t('start')}
      </button>
    </section>
  );
}
