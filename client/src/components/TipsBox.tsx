import { useEffect, useState } from 'react';
import { api, type TipType } from '../api';
import { useI18n } from '../i18n';
import { ORIGINAL_TIPS } from '../tips';

interface Shown {
  type: TipType | string;
  message: string;
}

/**
 * TipsBox is "Transmisión Serverless": a random tip from the tips service as
 * `[TIPO] message`, fetched again whenever `refreshKey` changes. Without the
 * service it shows one of the original game's tips.
 */
export function TipsBox({ refreshKey }: { refreshKey: number }) {
  const { t, lang } = useI18n();
  const [tip, setTip] = useState<Shown | null>(null);

  useEffect(() => {
    let live = true;
    api.randomTip(lang).then(
      (got) => {
        if (live && got && typeof got.message === 'string') setTip({ type: got.type, message: got.message });
      },
      () => {
        if (!live) return;
        const local = ORIGINAL_TIPS[Math.floor(Math.random() * ORIGINAL_TIPS.length)] ?? ORIGINAL_TIPS[0];
        if (local) setTip({ type: local.type, message: local.message[lang] });
      },
    );
    return () => {
      live = false;
    };
  }, [lang, refreshKey]);

  return (
    <section className="card tips" aria-labelledby="tips-title">
      <h2 id="tips-title" className="card__title">
        {t('tipsTitle')}
      </h2>
      <p className="tips__text" data-testid="tip">
        {tip ? (
          <>
            <span className="tips__type">[{String(tip.type).toUpperCase()}]</span> {tip.message}
          </>
        ) : (
          t('loading')
        )}
      </p>
    </section>
  );
}
