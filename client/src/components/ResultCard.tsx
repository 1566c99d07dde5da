import type { ResultView } from '../game/controller';
import { useI18n } from '../i18n';
import { reasonText } from '../reasons';

/** ResultCard tells what became of the last game: practice, sending, accepted, held for review, rejected, pending, refused. */
export function ResultCard({ result, onRetry }: { result: ResultView | null; onRetry: () => void }) {
  const { t } = useI18n();
  if (!result) return null;
  let text: string;
  let extra: string | null = null;
  let score: number | undefined;
  switch (result.status) {
    case 'practice':
      text = t('practice');
      break;
    case 'sending':
      text = t('resultSending');
      break;
    case 'pending':
      text = t('resultPending');
      break;
    case 'accepted':
      score = result.server.score;
      text = t('resultAccepted', { score: result.server.score, level: result.server.level });
      if (result.server.score !== result.localScore) extra = t('resultDiffers', { local: result.localScore });
      break;
    case 'held':
      score = result.server.score;
      text = t('resultHeld', { score: result.server.score });
      extra = t('resultHeldWhy');
      break;
    case 'rejected':
      score = result.server.score;
      text = t('resultRejected', { reason: reasonText(t, result.server.reason) });
      break;
    case 'failed':
      text = t('resultFailed', { reason: result.reason });
      break;
  }
  const bad = result.status === 'rejected' || result.status === 'failed' || result.status === 'pending';
  return (
    <div
      className={`result result--${bad ? 'bad' : result.status === 'accepted' ? 'good' : 'neutral'}`}
      data-testid="result"
      data-status={result.status}
      data-score={score}
      role="status"
      aria-live="polite"
    >
      <p>{text}</p>
      {extra && <p className="result__extra">{extra}</p>}
      {result.status === 'pending' && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          {t('retryNow')}
        </button>
      )}
    </div>
  );
}
