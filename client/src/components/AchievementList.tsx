import type { Achievement, UnlockedAchievement } from '../api';
import { useI18n } from '../i18n';

interface Props {
  catalogue: Achievement[];
  unlocked: UnlockedAchievement[];
}

/** AchievementList shows every achievement of the catalogue, unlocked ones first with their date. */
export function AchievementList({ catalogue, unlocked }: Props) {
  const { t, lang } = useI18n();
  const when = new Map(unlocked.map((u) => [u.id, u.unlockedAt]));
  const known = new Set(catalogue.map((a) => a.id));
  // Badges the catalogue does not list (yet) still show, by id.
  const all: Achievement[] = [
    ...catalogue,
    ...unlocked.filter((u) => !known.has(u.id)).map((u) => ({ id: u.id, name: { es: u.id, en: u.id }, description: { es: '', en: '' } })),
  ];
  all.sort((a, b) => Number(when.has(b.id)) - Number(when.has(a.id)));
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
  return (
    <ul className="achievements" data-testid="achievements">
      {all.map((a) => {
        const at = when.get(a.id);
        return (
          <li key={a.id} className={at ? 'achievement is-unlocked' : 'achievement is-locked'} data-achievement={a.id} data-unlocked={Boolean(at)}>
            <span className="achievement__icon" aria-hidden="true">
              {at ? '★' : '☆'}
            </span>
            <div>
              <p className="achievement__name">{a.name?.[lang] || a.id}</p>
              {a.description?.[lang] && <p className="achievement__desc">{a.description[lang]}</p>}
              <p className="achievement__state">
                {at ? `${t('unlocked')} · ${safeDate(date, at)}` : t('locked')}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function safeDate(f: Intl.DateTimeFormat, iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.format(d);
}
