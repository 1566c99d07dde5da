// Where the achievement toast goes: a corner of the viewport where its box
// meets none of the boxes it must never cover (the board and the status
// card, marked data-toast-avoid). On a phone the toast is nearly as wide
// as the screen, so its corners are in effect the top and the bottom. Null:
// no corner is free right now (the toast waits, parked, until one is).

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Size {
  width: number;
  height: number;
}

export type Corner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';

/** Tried in this order. */
export const CORNERS: readonly Corner[] = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];
/** The toast's distance from the viewport's edges, and its widest. */
export const TOAST_MARGIN = 12;
export const TOAST_MAX_WIDTH = 320;

/** toastWidth is the toast's width in a viewport `width` wide. */
export function toastWidth(width: number): number {
  return Math.max(0, Math.min(TOAST_MAX_WIDTH, width - 2 * TOAST_MARGIN));
}

/** toastRect is the box of a toast `height` tall in `corner` of the viewport. */
export function toastRect(corner: Corner, view: Size, height: number): Rect {
  const width = toastWidth(view.width);
  const left = corner.endsWith('right') ? view.width - TOAST_MARGIN - width : TOAST_MARGIN;
  const top = corner.startsWith('bottom') ? view.height - TOAST_MARGIN - height : TOAST_MARGIN;
  return { left, top, right: left + width, bottom: top + height };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** placeToast is the first corner where a toast `height` tall covers none of `avoid`, or null. */
export function placeToast(view: Size, height: number, avoid: readonly Rect[]): Corner | null {
  if (height > view.height - 2 * TOAST_MARGIN) return null;
  return CORNERS.find((c) => !avoid.some((r) => intersects(toastRect(c, view, height), r))) ?? null;
}
