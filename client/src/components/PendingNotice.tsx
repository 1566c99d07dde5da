import { useI18n } from '../i18n';

/** PendingNotice says that results are waiting in this browser to be sent. */
export function PendingNotice({ count, onRetry }: { count: number; onRetry: () => void }) {
  const { t } = useI18n();
  if (count <= 0) return null;
  return (
    <div className="notice" role="status" data-testid="pending">
      <span>{t('pendingCount', { n: count })}</span>
      <button type="button" className="btn btn--small" onClick={onRetry}>
        {t('retryNow')}
      </button>
    </div>
  );
}
