import { useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { placeToast, type Corner } from '../toastPlacement';
import type { Toast } from '../toasts';

interface Props {
  toast: Toast | null;
  onDismiss: () => void;
  /** onPark is told whether the toast has no free place on screen (it waits, hidden). */
  onPark: (parked: boolean) => void;
}

/** avoidRects are the boxes no toast may cover: the board and the status card. */
function avoidRects(): DOMRect[] {
  return [...document.querySelectorAll('[data-toast-avoid]')].map((el) => el.getBoundingClientRect());
}

/**
 * Toasts announces the achievements the last game unlocked, in one box, in
 * a corner of the screen that covers neither the board nor the status card
 * (see toastPlacement.ts); it moves when the page scrolls, and waits hidden
 * while no corner is free.
 */
export function Toasts({ toast, onDismiss, onPark }: Props) {
  const { t, lang } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const [corner, setCorner] = useState<Corner | null>('bottom-right');

  useLayoutEffect(() => {
    if (!toast) return;
    let frame = 0;
    const place = () => {
      frame = 0;
      const el = box.current;
      if (!el) return;
      const view = { width: document.documentElement.clientWidth, height: window.innerHeight };
      const at = placeToast(view, el.offsetHeight, avoidRects());
      setCorner(at);
      onPark(at === null);
    };
    const later = () => {
      frame ||= requestAnimationFrame(place);
    };
    place();
    window.addEventListener('scroll', later, { passive: true });
    window.addEventListener('resize', later);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', later);
      window.removeEventListener('resize', later);
    };
  }, [toast, onPark]);

  const list = toast?.achievements ?? [];
  const one = list.length === 1 ? list[0] : undefined;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toast && (
        <div
          ref={box}
          key={toast.id}
          className={`toast${corner ? '' : ' toast--parked'}`}
          data-testid="toast"
          data-corner={corner ?? 'parked'}
          data-count={list.length}
        >
          <div>
            <p className="toast__title">★ {one ? t('achievementUnlocked') : t('achievementsUnlocked', { n: list.length })}</p>
            {one ? (
              <>
                <p className="toast__name">{one.name[lang] || one.id}</p>
                {one.description[lang] && <p className="toast__desc">{one.description[lang]}</p>}
              </>
            ) : (
              <ul className="toast__list">
                {list.map((a) => (
                  <li key={a.id} className="toast__name">
                    {a.name[lang] || a.id}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <button type="button" className="toast__close" aria-label={t('close')} onClick={onDismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
