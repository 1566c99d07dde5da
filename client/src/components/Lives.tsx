import { useI18n } from '../i18n';
import { LIVES } from '../rules';

/** Lives shows ♥ for each life left and ♡ for each lost; screen readers hear "2 de 3 vidas". */
export function Lives({ lives }: { lives: number }) {
  const { t } = useI18n();
  const left = Math.max(0, Math.min(LIVES, lives));
  return (
    <span className="lives" data-testid="lives" data-value={left} aria-label={t('livesLabel', { n: left, max: LIVES })} role="img">
      {'♥'.repeat(left)}
      {'♡'.repeat(LIVES - left)}
    </span>
  );
}
