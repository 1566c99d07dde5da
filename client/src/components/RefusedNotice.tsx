import { useI18n } from '../i18n';
import type { RefusedResult } from '../lateResults';
import { reasonText } from '../reasons';

/** RefusedNotice says, for each pending result the server refused after the page stopped showing it, that it was not saved and why. */
export function RefusedNotice({ refused, onDismiss }: { refused: RefusedResult[]; onDismiss: (gameId: string) => void }) {
  const { t } = useI18n();
  if (!refused.length) return null;
  return (
    <div className="notices" role="alert">
      {refused.map((r) => (
        <div key={r.gameId} className="notice" data-testid="refused" data-game={r.gameId}>
          <span>{t('refused', { mode: t(r.mode), score: r.localScore, reason: reasonText(t, r.reason) })}</span>
          <button type="button" className="btn btn--small" onClick={() => onDismiss(r.gameId)}>
            {t('close')}
          </button>
        </div>
      ))}
    </div>
  );
}
