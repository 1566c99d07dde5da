import { useI18n } from '../i18n';
import type { Mode } from '../rules';
import type { Stage } from '../game/controller';
import { isBusy } from '../game/controller';

interface Props {
  mode: Mode;
  stage: Stage;
  /** Reiniciar was pressed once: the button asks to confirm. */
  confirmRestart: boolean;
  onSelect: (mode: Mode) => void;
  onStart: () => void;
  onRestart: () => void;
  onEnd: () => void;
  onHelp: () => void;
}

const MODES: readonly Mode[] = ['classic', 'memory'];

/**
 * ModePanel is "Modo de juego": Clásico / Memoria (fixed during a game), and
 * Iniciar, which becomes Reiniciar (asks to confirm) and Terminar while a
 * game is on. Reiniciar sits where Iniciar was, so the second click of a
 * double click only asks; Terminar opens once the clock runs (or once the
 * countdown waits for a slow server, to give up on it).
 */
export function ModePanel({ mode, stage, confirmRestart, onSelect, onStart, onRestart, onEnd, onHelp }: Props) {
  const { t } = useI18n();
  const busy = isBusy(stage);
  return (
    <section className="card mode-panel" aria-labelledby="mode-title">
      <div className="mode-panel__head">
        <h2 id="mode-title" className="card__title">
          {t('modeTitle')}
        </h2>
        <button type="button" className="btn btn--tiny btn--help" data-testid="howto-open" aria-label={t('howToOpen')} title={t('howToOpen')} onClick={onHelp}>
          ?
        </button>
      </div>
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
      {busy ? (
        <div className="mode-panel__actions">
          <button
            type="button"
            className={`btn btn--primary${confirmRestart ? ' is-armed' : ''}`}
            data-testid="start"
            data-confirm={confirmRestart || undefined}
            aria-label={confirmRestart ? t('restartConfirmLabel') : t('restartLabel')}
            onClick={onRestart}
          >
            {confirmRestart ? t('restartConfirm') : t('restart')}
          </button>
          <button type="button" className="btn btn--end" data-testid="end" aria-label={t('endLabel')} disabled={stage === 'ready'} onClick={onEnd}>
            {t('end')}
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn--primary" data-testid="start" aria-label={t('startLabel')} onClick={onStart}>
          {t('start')}
        </button>
      )}
    </section>
  );
}
