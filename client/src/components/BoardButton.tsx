import { memo, useRef } from 'react';
import type { Flash } from '../game/controller';
import { useI18n } from '../i18n';

interface Props {
  button: number;
  keyLabel: string;
  lit: boolean;
  flash: Flash['kind'] | null;
  disabled: boolean;
  column: number;
  row: number;
  onPress: (button: number) => void;
}

/**
 * BoardButton is one round button. A touch or mouse press counts on
 * pointerdown (no click delay); a click that no pointerdown preceded (Enter
 * or Space on the focused button, assistive technology) counts too.
 */
export const BoardButton = memo(function BoardButton({ button, keyLabel, lit, flash, disabled, column, row, onPress }: Props) {
  const { t } = useI18n();
  const pointerAt = useRef(-Infinity);
  const label = t('buttonLabel', { n: button, key: keyLabel }) + (lit ? `, ${t('buttonLit')}` : '');
  return (
    <button
      type="button"
      className="board-btn"
      data-button={button}
      data-state={lit ? 'lit' : 'off'}
      data-flash={flash ?? undefined}
      aria-label={label}
      aria-disabled={disabled || undefined}
      style={{ gridColumn: `${column} / span 2`, gridRow: row }}
      onPointerDown={(e) => {
        if (e.pointerType === 'mouse' && e.button !== 0) return;
        pointerAt.current = e.timeStamp;
        if (!disabled) onPress(button);
      }}
      onClick={(e) => {
        if (e.timeStamp - pointerAt.current < 1000) return; // already counted on pointerdown
        if (!disabled) onPress(button);
      }}
    >
      <span className="board-btn__num">{button}</span>
      <kbd className="board-btn__key" aria-hidden="true">
        {keyLabel}
      </kbd>
      {lit && (
        <span className="board-btn__icon" aria-hidden="true">
          ✦
        </span>
      )}
    </button>
  );
});
