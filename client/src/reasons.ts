// Why the server refused a game, in words: the games service answers stable
// codes (GAME_RULES.md, "What the server checks"); anything else (a
// problem's detail) is shown as it came.

import type { MessageKey, Translate } from './i18n';

const REASON_KEYS: Record<string, MessageKey> = {
  expired: 'reasonExpired',
  clock: 'reasonClock',
  too_fast: 'reasonTooFast',
  ended_at_too_late: 'reasonClock',
  bad_mode: 'reasonInvalid',
  negative_ended_at: 'reasonInvalid',
  too_many_presses: 'reasonInvalid',
  press_out_of_range: 'reasonInvalid',
  presses_unsorted: 'reasonInvalid',
  button_out_of_range: 'reasonInvalid',
};

export function reasonText(t: Translate, reason: string | undefined): string {
  if (!reason) return '—';
  const key = REASON_KEYS[reason];
  return key ? t(key) : reason;
}
