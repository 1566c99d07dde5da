// The daily challenge (API.md, "Daily challenge"): every UTC day one seed
// per mode, the same for every player, one attempt each. This module is the
// pure part: which day it is, the challenge's public number and id, and the
// share text. No React, no storage, no timers.

import type { Mode } from './rules';
import type { Lang } from './i18n';

/**
 * CHALLENGE_EPOCH is day 0 of the challenge's numbering: Lightpress #1 is
 * 2026-12-01 (UTC), the day the daily challenge started, #2 the next day,
 * and so on. Never change it: shared texts carry the number.
 */
export const CHALLENGE_EPOCH = '2026-11-30';

const DAY_MS = 86_400_000;

/** utcDay is the UTC date ("2026-12-01") of a wall-clock time in ms. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** challengeNumber is the public number of the challenge of day: whole days since CHALLENGE_EPOCH. */
export function challengeNumber(day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${CHALLENGE_EPOCH}T00:00:00Z`)) / DAY_MS);
}

/** challengeId is the server's id of the daily challenge of day. */
export function challengeId(day: string): string {
  return `daily-${day}`;
}

/** challengeDay is the UTC date of a daily challenge's id, or null for anything else. */
export function challengeDay(id: string | undefined | null): string | null {
  const m = /^daily-(\d{4}-\d{2}-\d{2})$/.exec(id ?? '');
  return m && m[1] && !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`)) ? m[1] : null;
}

/** msUntilNextChallenge is how long until the next UTC midnight. */
export function msUntilNextChallenge(ms: number): number {
  return DAY_MS - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

const MODE_WORD: Record<Lang, Record<Mode, string>> = {
  es: { classic: 'clásico', memory: 'memoria' },
  en: { classic: 'classic', memory: 'memory' },
};

/**
 * shareText is what a player shares after the day's challenge:
 * "Lightpress #42 · clásico · 1,542". It spoils nothing: no sequence, no
 * seed, no presses, only the day, the mode and the score. The score is
 * grouped the same way in both languages, so every shared line reads alike.
 */
export function shareText(day: string, mode: Mode, score: number, lang: Lang): string {
  return `Lightpress #${challengeNumber(day)} · ${MODE_WORD[lang][mode]} · ${score.toLocaleString('en-US')}`;
}
