import { LANGS, useI18n } from '../i18n';

/** LanguageSwitch chooses Español / English; the choice is remembered. */
export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <div className="lang" role="group" aria-label={t('language')}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          className="btn btn--tiny"
          lang={l}
          aria-pressed={lang === l}
          aria-label={l === 'es' ? 'Español' : 'English'}
          onClick={() => setLang(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
