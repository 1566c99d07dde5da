import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

export const NICKNAME_MAX = 24;

interface Props {
  nickname: string;
  onRename: (nickname: string) => Promise<unknown>;
}

/** NicknameEditor changes the player's name (1 to 24 characters); the server's answer is shown. */
export function NicknameEditor({ nickname, onRename }: Props) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(nickname);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = value.trim();
    if (name.length < 1 || [...name].length > NICKNAME_MAX) {
      setNote({ ok: false, text: t('nicknameInvalid') });
      return;
    }
    setBusy(true);
    try {
      await onRename(name);
      setNote({ ok: true, text: t('nicknameSaved') });
      setEditing(false);
    } catch (err) {
      setNote({ ok: false, text: err instanceof ApiError && err.status !== 0 ? err.detail : t('offline') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="nickname">
      {editing ? (
        <form className="nickname__form" onSubmit={submit}>
          <label htmlFor="nickname-input">{t('nicknameLabel')}</label>
          <div className="nickname__row">
            <input
              id="nickname-input"
              data-testid="nickname-input"
              value={value}
              maxLength={NICKNAME_MAX}
              autoComplete="nickname"
              required
              onChange={(e) => setValue(e.target.value)}
              autoFocus
            />
            <button type="submit" className="btn btn--small btn--primary" disabled={busy}>
              {t('save')}
            </button>
            <button type="button" className="btn btn--small" onClick={() => setEditing(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="nickname__row">
          <span className="nickname__name">{nickname}</span>
          <button
            type="button"
            className="btn btn--small"
            data-testid="nickname-edit"
            onClick={() => {
              setValue(nickname);
              setNote(null);
              setEditing(true);
            }}
          >
            {t('editNickname')}
          </button>
        </div>
      )}
      {note && (
        <p className={note.ok ? 'note note--ok' : 'note note--bad'} role="status">
          {note.text}
        </p>
      )}
    </div>
  );
}
