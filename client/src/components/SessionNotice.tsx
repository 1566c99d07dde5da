import { useState } from 'react';
import { useI18n } from '../i18n';
import type { PlayerSession, SessionState } from '../session';
import { RecoveryForm } from './RecoveryForm';

interface Props {
  state: SessionState;
  session: Pick<PlayerSession, 'startFresh' | 'recover'>;
  now?: () => number;
}

/**
 * SessionNotice tells the player, plainly, when this browser's session is
 * over (the server refused to renew it) and lets them choose: a recovery
 * code brings their player back, or they start as a new player. It also
 * says when registering is refused for now (too many from their network).
 */
export function SessionNotice({ state, session, now = () => Date.now() }: Props) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  if (state.status === 'limited') {
    const minutes = Math.max(1, Math.ceil(((state.retryAt ?? now()) - now()) / 60_000));
    return (
      <div className="notice" role="status" data-testid="session-limited">
        <span>{t('registrationLimited', { minutes })}</span>
      </div>
    );
  }
  if (state.status !== 'signedOut') return null;
  const nickname = state.player?.nickname;
  return (
    <section className="card panel session-notice" role="alertdialog" aria-labelledby="session-ended" data-testid="session-notice">
      <h2 id="session-ended" className="card__title">
        {t('sessionEndedTitle')}
      </h2>
      <p>{nickname ? t('sessionEnded', { nickname }) : t('sessionEndedAnon')}</p>
      <RecoveryForm onRecover={(c) => session.recover(c)} />
      <button
        type="button"
        className="btn btn--small"
        data-testid="start-fresh"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void session.startFresh().finally(() => setBusy(false));
        }}
      >
        {t('startFresh')}
      </button>
    </section>
  );
}
