import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

/** A recovery code as a person may type it: 16 letters and digits, dashes and spaces aside. */
export function looksLikeRecoveryCode(s: string): boolean {
  return /^[0-9a-z]{16}$/i.test(s.replace(/[\s-]/g, ''));
}

interface Props {
  /** replaces is the nickname this browser leaves, if any. */
  replaces?: string | null;
  onRecover: (code: string) => Promise<{ nickname: string }>;
}

/** RecoveryForm takes a recovery code made on another device and signs this browser in as its player. */
export function RecoveryForm({ replaces, onRecover }: Props) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!looksLikeRecoveryCode(code)) {
      setNote({ ok: false, text: t('recoveryInvalid') });
      return;
    }
    setBusy(true);
    try {
      const player = await onRecover(code.trim());
      setNote({ ok: true, text: t('recoveryWelcome', { nickname: player.nickname }) });
      setCode('');
    } catch (err) {
      setNote({ ok: false, text: err instanceof ApiError && err.status !== 0 ? err.detail : t('offline') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="recovery__form" onSubmit={submit}>
      <label htmlFor="recovery-input">{t('recoveryEnterLabel')}</label>
      <div className="nickname__row">
        <input
          id="recovery-input"
          data-testid="recovery-input"
          value={code}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" className="btn btn--small btn--primary" data-testid="recovery-use" disabled={busy}>
          {t('recoveryUse')}
        </button>
      </div>
      {replaces && <p className="muted">{t('recoveryReplaces', { nickname: replaces })}</p>}
      {note && (
        <p className={note.ok ? 'note note--ok' : 'note note--bad'} role="status" data-testid="recovery-note">
          {note.text}
        </p>
      )}
    </form>
  );
}
