import { useEffect, useState } from 'react';
import type { RecoveryInfo } from '../api';
import { useI18n } from '../i18n';
import type { PlayerSession, SessionState } from '../session';
import { RecoveryForm } from './RecoveryForm';

interface Props {
  state: SessionState;
  session: Pick<PlayerSession, 'newRecoveryCode' | 'storedRecoveryCode' | 'recoveryInfo' | 'recover'>;
}

/** RecoveryPanel shows the player's recovery code (made on demand, copyable, replaceable) and takes one from another device. */
export function RecoveryPanel({ state, session }: Props) {
  const { t, lang } = useI18n();
  const playerId = state.player?.id ?? null;
  const [code, setCode] = useState<string | null>(() => session.storedRecoveryCode());
  const [info, setInfo] = useState<RecoveryInfo | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    setCode(session.storedRecoveryCode());
    setInfo(null);
    if (!playerId || state.status !== 'ready') return;
    let live = true;
    session.recoveryInfo().then(
      (i) => live && setInfo(i),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [playerId, state.status, session]);

  if (!state.player) return null;
  const date = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const make = async () => {
    if (code && !confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setBusy(true);
    try {
      setCode(await session.newRecoveryCode());
      setNote(null);
    } catch {
      setNote({ ok: false, text: t('recoveryUnavailable') });
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!code) return;
    try {
      await navigator.clipboard.writeText(code);
      setNote({ ok: true, text: t('recoveryCopied') });
    } catch {
      setNote(null); // no clipboard: the code is on screen to copy by hand
    }
  };

  return (
    <section className="card panel recovery" aria-labelledby="recovery-title" data-testid="recovery">
      <h2 id="recovery-title" className="card__title">
        {t('recoveryTitle')}
      </h2>
      <p className="muted">{t('recoveryIntro')}</p>
      {code ? (
        <div className="recovery__code">
          <span className="recovery__label">{t('recoveryCodeLabel')}</span>
          <code data-testid="recovery-code" className="recovery__value">
            {code}
          </code>
          <div className="nickname__row">
            <button type="button" className="btn btn--small" onClick={() => void copy()} data-testid="recovery-copy">
              {t('recoveryCopy')}
            </button>
            <button type="button" className="btn btn--small" onClick={() => void make()} disabled={busy} data-testid="recovery-new">
              {t('recoveryNew')}
            </button>
          </div>
          {confirming && <p className="note note--bad">{t('recoveryNewConfirm')}</p>}
        </div>
      ) : (
        <>
          {info && <p className="muted">{t('recoveryMadeElsewhere', { date: date(info.createdAt) })}</p>}
          <button type="button" className="btn btn--small btn--primary" onClick={() => void make()} disabled={busy} data-testid="recovery-show">
            {info ? t('recoveryNew') : t('recoveryShow')}
          </button>
        </>
      )}
      {info?.lastUsedAt && <p className="muted">{t('recoveryLastUsed', { date: date(info.lastUsedAt) })}</p>}
      {note && (
        <p className={note.ok ? 'note note--ok' : 'note note--bad'} role="status">
          {note.text}
        </p>
      )}
      <h3 className="panel__sub">{t('recoveryEnterTitle')}</h3>
      <RecoveryForm replaces={state.player.nickname} onRecover={(c) => session.recover(c)} />
    </section>
  );
}
