import { useEffect, useState } from 'react';
import type { Message } from '../game/messages';
import { useI18n } from '../i18n';
import type { Snapshot } from '../rules';

interface Props {
  snapshot: Snapshot | null;
  message: Message;
  playing: boolean;
  /** A practice game (the server could not start it): said from its first beat. */
  practice?: boolean;
  /** elapsed reads the game clock (ms since the start). */
  elapsed: () => number;
}

/** useGameTime re-renders about every 50 ms while `active`, with the game time. */
function useGameTime(active: boolean, elapsed: () => number): number {
  const [now, setNow] = useState(() => elapsed());
  useEffect(() => {
    if (!active) {
      setNow(elapsed());
      return;
    }
    let frame = 0;
    const loop = () => {
      const t = elapsed();
      setNow((prev) => (Math.abs(t - prev) >= 50 ? t : prev));
      frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(frame);
  }, [active, elapsed]);
  return now;
}

interface Progress {
  pill: string;
  fraction: number;
  label: 'timeLeft' | 'sequenceProgress';
}

/** progressOf is what the pill and the bar show: time left (classic) or sequence steps (memory). */
export function progressOf(s: Snapshot | null, now: number): Progress {
  if (!s) return { pill: '--', fraction: 0, label: 'timeLeft' };
  if (s.mode === 'classic') {
    let left = 0;
    if (s.phase === 'lit') left = Math.max(0, s.deadline - Math.max(now, s.now));
    else if (s.phase === 'locked') left = s.window;
    return { pill: `${(left / 1000).toFixed(1)}s`, fraction: s.window ? left / s.window : 0, label: 'timeLeft' };
  }
  const step = s.phase === 'showing' ? s.shownStep : s.phase === 'input' || s.phase === 'over' ? s.entered : 0;
  return { pill: `${step}/${s.length}`, fraction: s.length ? step / s.length : 0, label: 'sequenceProgress' };
}

/** StatusCard is "Estado": the message, the time-left (or step) pill and the progress bar. */
export function StatusCard({ snapshot, message, playing, practice = false, elapsed }: Props) {
  const { t } = useI18n();
  const ticking = playing && snapshot?.mode === 'classic';
  const now = useGameTime(ticking, elapsed);
  const p = progressOf(snapshot, ticking ? now : (snapshot?.now ?? 0));
  const percent = Math.round(Math.min(1, Math.max(0, p.fraction)) * 100);
  return (
    <section className="card status" id="status-card" aria-labelledby="status-title" data-toast-avoid>
      <div className="status__head">
        <h2 id="status-title" className="card__title">
          {t('statusTitle')}
        </h2>
        {practice && (
          <span className="tag tag--practice" data-testid="practice" title={t('practiceNote')}>
            {t('practiceTag')}
            <span className="visually-hidden">: {t('practiceNote')}</span>
          </span>
        )}
        <span className="pill" data-testid="pill" aria-label={`${t(p.label)}: ${p.pill}`}>
          {p.pill}
        </span>
      </div>
      <p className="status__message" data-testid="status" role="status" aria-live="polite">
        {t(message.key, message.params)}
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-label={t(p.label)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress__fill" style={{ width: `${percent}%` }} />
      </div>
    </section>
  );
}
