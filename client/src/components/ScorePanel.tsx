import { useI18n } from '../i18n';
import { LIVES, type Snapshot } from '../rules';
import { Lives } from './Lives';

/** ScorePanel is the "Puntuación" block: score, level, lives, combo, sequence. */
export function ScorePanel({ snapshot }: { snapshot: Snapshot | null }) {
  const { t } = useI18n();
  const score = snapshot?.score ?? 0;
  const level = snapshot?.level ?? 1;
  return (
    <section className="card score-panel" aria-labelledby="score-title">
      <h2 id="score-title" className="card__title">
        {t('score')}
      </h2>
      <p className="score-panel__score" data-testid="score" data-value={score}>
        {score}
      </p>
      <dl className="stats-grid">
        <div>
          <dt>{t('level')}</dt>
          <dd data-testid="level" data-value={level}>
            {level}
          </dd>
        </div>
        <div>
          <dt>{t('lives')}</dt>
          <dd>
            <Lives lives={snapshot?.lives ?? LIVES} />
          </dd>
        </div>
        <div>
          <dt>{t('combo')}</dt>
          <dd data-testid="combo">{snapshot?.combo ?? 0}</dd>
        </div>
        <div>
          <dt>{t('sequence')}</dt>
          <dd data-testid="sequence">{snapshot?.mode === 'memory' ? snapshot.length : '—'}</dd>
        </div>
      </dl>
    </section>
  );
}
