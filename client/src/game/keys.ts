// Keyboard play: the digit keys press the buttons with the same number, and
// '-' presses button 10 (it sits right of 0 on most keyboards).

export const BUTTON_KEYS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-'];

/** buttonForKey is the button a KeyboardEvent.key presses, or null. */
export function buttonForKey(key: string): number | null {
  const i = BUTTON_KEYS.indexOf(key);
  return i < 0 ? null : i;
}

/** isTyping says whether a key event goes to a text field, where keys must not play. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

/** isControl says whether a key event goes to a control that answers Enter and Space itself (a button, a link). */
export function isControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('button, a[href], input, select, textarea, summary, [role="button"]') !== null;
}
