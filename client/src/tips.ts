// The original game's tips, shown when the tips service cannot be reached.

import type { Lang } from './i18n';
import type { TipType } from './api';

export interface LocalTip {
  type: TipType;
  message: Record<Lang, string>;
}

export const ORIGINAL_TIPS: readonly LocalTip[] = [
  { type: 'tip', message: { es: 'Evita movimientos bruscos ya que te pueden costar una vida', en: 'Avoid sudden moves: they can cost you a life' } },
  { type: 'bonus', message: { es: 'Si superas el record subimos tu beca en la escuela', en: 'Beat the record and we raise your school grant' } },
  { type: 'lore', message: { es: 'Este juego es tan sencillo que lo dificil sera no jugarlo', en: 'This game is so simple that the hard part is not playing it' } },
  { type: 'status', message: { es: 'Estas en fuego', en: "You're on fire" } },
];
