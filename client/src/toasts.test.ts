import { describe, expect, it } from 'vitest';
import type { Achievement } from './api';
import { FakeClock } from './test/fakeClock';
import { TOAST_MS, ToastStore } from './toasts';
import { CORNERS, TOAST_MARGIN, TOAST_MAX_WIDTH, placeToast, toastRect, type Rect } from './toastPlacement';

const badge = (id: string): Achievement => ({ id, name: { es: id, en: id }, description: { es: '', en: '' } });
const ids = (s: ToastStore) => s.getState().toast?.achievements.map((a) => a.id) ?? null;

describe('ToastStore', () => {
  it('gathers unlocks that arrive together or while a toast is up into one toast, once each', () => {
    const clock = new FakeClock();
    const s = new ToastStore(clock);
    s.push([badge('first-game'), badge('classic-100'), badge('first-game')]);
    expect(ids(s)).toEqual(['first-game', 'classic-100']);
    clock.tick(TOAST_MS - 1000);
    s.push([badge('combo-10'), badge('classic-100')]);
    expect(ids(s)).toEqual(['first-game', 'classic-100', 'combo-10']);
    clock.tick(TOAST_MS - 1); // the new unlock gave it its full time again
    expect(ids(s)).not.toBeNull();
    clock.tick(1);
    expect(s.getState().toast).toBeNull();
  });

  it('holds unlocks during a game and shows them, together, when it ends', () => {
    const clock = new FakeClock();
    const s = new ToastStore(clock);
    s.push([badge('a')]);
    s.hold(true); // a game starts: what was up counts as seen
    expect(s.getState().toast).toBeNull();
    s.push([badge('b')]);
    s.push([badge('c')]);
    clock.tick(TOAST_MS * 2);
    expect(s.getState().toast).toBeNull();
    s.hold(false);
    expect(ids(s)).toEqual(['b', 'c']);
  });

  it('stops the clock of a parked toast until it has a place', () => {
    const clock = new FakeClock();
    const s = new ToastStore(clock);
    s.push([badge('a')]);
    s.park(true);
    clock.tick(TOAST_MS * 3);
    expect(ids(s)).toEqual(['a']);
    s.park(false);
    clock.tick(TOAST_MS);
    expect(s.getState().toast).toBeNull();
  });
});

describe('placeToast', () => {
  const desktop = { width: 1280, height: 800 };
  const phone = { width: 390, height: 844 };
  // The play area of a 1280 x 800 page: the status card and the board right of the sidebar.
  const status: Rect = { left: 338, top: 123, right: 1216, bottom: 282 };
  const board: Rect = { left: 338, top: 298, right: 1216, bottom: 662 };

  it('takes the first corner clear of the board and the status card', () => {
    expect(placeToast(desktop, 100, [status, board])).toBe('bottom-right'); // the board ends above it
    const tallBoard = { ...board, bottom: 760 };
    expect(placeToast(desktop, 100, [status, tallBoard])).toBe('bottom-left'); // over the sidebar
  });

  it('on a phone: below the board, else above the status card', () => {
    const phoneStatus: Rect = { left: 12, top: 12, right: 378, bottom: 170 };
    const phoneBoard: Rect = { left: 12, top: 184, right: 378, bottom: 470 };
    expect(placeToast(phone, 120, [phoneStatus, phoneBoard])).toBe('bottom-right');
    const r = toastRect('bottom-right', phone, 120);
    expect(r).toEqual({ left: 390 - TOAST_MARGIN - TOAST_MAX_WIDTH, right: 390 - TOAST_MARGIN, top: 844 - TOAST_MARGIN - 120, bottom: 844 - TOAST_MARGIN });
    expect(toastRect('top-left', { width: 320, height: 600 }, 50)).toMatchObject({ left: TOAST_MARGIN, right: 320 - TOAST_MARGIN }); // narrower: the screen's width
    const lowBoard: Rect = { ...phoneBoard, top: 400, bottom: 840 };
    expect(placeToast(phone, 120, [{ ...phoneStatus, top: 230, bottom: 390 }, lowBoard])).toBe('top-right');
  });

  it('is null when no corner is free, or the toast does not fit', () => {
    const everywhere: Rect = { left: 0, top: 0, right: 390, bottom: 844 };
    expect(placeToast(phone, 120, [everywhere])).toBeNull();
    expect(placeToast({ width: 390, height: 100 }, 120, [])).toBeNull();
  });

  it('never returns a corner whose box meets an obstacle', () => {
    for (let i = 0; i < 200; i++) {
      const view = { width: 320 + ((i * 37) % 1200), height: 480 + ((i * 53) % 600) };
      const obstacle: Rect = { left: (i * 13) % view.width, top: (i * 29) % view.height, right: view.width, bottom: view.height };
      const corner = placeToast(view, 90, [obstacle]);
      if (!corner) continue;
      const r = toastRect(corner, view, 90);
      expect(r.right <= obstacle.left || r.bottom <= obstacle.top, `${corner} in ${JSON.stringify(view)}`).toBe(true);
      expect(CORNERS).toContain(corner);
    }
  });
});
