import type { ReactNode } from 'react';
import type { Flash } from '../game/controller';
import { BUTTON_KEYS } from '../game/keys';
import { useI18n } from '../i18n';
import type { Phase } from '../rules';
import { BUTTONS } from '../rules';
import { BoardButton } from './BoardButton';

interface Props {
  lit: number | null;
  /** `ready`: the countdown before the clock starts. */
  phase: Phase | 'idle' | 'ready';
  flash: Flash | null;
  playing: boolean;
  onPress: (button: number) => void;
  /** overlay covers the board without changing its size: how to play, the countdown, the result card. */
  overlay?: ReactNode;
}

/** Rows of 4, 3 and 4 buttons, staggered on an 8-column grid: [first button, count, first column]. */
const ROWS: readonly [number, number, number][] = [
  [0, 4, 1],
  [4, 3, 2],
  [7, 4, 1],
];

function placeOf(button: number): { row: number; column: number } {
  for (const [r, [first, count, col]] of ROWS.entries()) {
    if (button >= first && button < first + count) return { row: r + 1, column: col + (button - first) * 2 };
  }
  throw new Error(`no place for button ${button}`);
}

/**
 * Board is the 11 buttons. It only renders; presses go to onPress. It takes
 * the focus when a game starts (tabIndex -1), so that the Space of a
 * keyboard player goes to no button, and no toast may cover it.
 */
export function Board({ lit, phase, flash, playing, onPress, overlay }: Props) {
  const { t } = useI18n();
  return (
    <section className="board" id="board" tabIndex={-1} aria-label={t('board')} data-testid="board" data-phase={phase} data-toast-avoid>
      <div className="board__grid">
        {Array.from({ length: BUTTONS }, (_, b) => {
          const { row, column } = placeOf(b);
          return (
            <BoardButton
              key={b}
              button={b}
              keyLabel={BUTTON_KEYS[b] ?? ''}
              lit={lit === b}
              flash={flash?.button === b ? flash.kind : null}
              disabled={!playing}
              row={row}
              column={column}
              onPress={onPress}
            />
          );
        })}
      </div>
      <p className="board__hint">{t('keysHint')}</p>
      {overlay}
    </section>
  );
}
