// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type GameReplay } from '../api';
import { FakeClock, flush } from '../test/fakeClock';
import { act, render, type Rendered } from '../test/render';
import { ReplayViewer } from './ReplayViewer';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

// Seed 0 lights 2, then 0: two hits, then the player quits.
const game: GameReplay = {
  gameId: 'g1',
  mode: 'classic',
  seed: 0,
  presses: [
    { t: 500, button: 2 },
    { t: 1300, button: 0 },
  ],
  endedAt: 1800,
  playerId: 'p1',
  nickname: 'Neo',
  score: 24,
};

async function open(load: (id: string) => Promise<GameReplay>, onClose = () => {}, lang: 'es' | 'en' = 'en') {
  const clock = new FakeClock();
  view = render(<ReplayViewer target={{ gameId: 'g1', nickname: 'Neo', score: 24, rank: 1 }} onClose={onClose} clock={clock} load={load} />, lang);
  await act(flush);
  return clock;
}

const q = (sel: string) => view!.container.querySelector<HTMLElement>(sel);

describe('ReplayViewer', () => {
  it('plays the game back on the board to the rules’ score', async () => {
    const clock = await open(() => Promise.resolve(game));
    expect(q('[role="dialog"]')?.getAttribute('aria-labelledby')).toBe('replay-title');
    expect(q('#replay-title')?.textContent).toBe('Replay: Neo');
    expect(q('[data-state="lit"]')?.dataset.button).toBe('2');
    expect(q('[data-state="lit"]')?.tabIndex).toBe(-1); // the board is watched, not played: Tab goes to the controls
    expect(q('[data-testid="replay-toggle"]')?.textContent).toBe('Pause');
    act(() => clock.tick(500));
    expect(q('[data-flash="correct"]')?.dataset.button).toBe('2');
    expect(q('[data-testid="score"]')?.dataset.value).toBe('12');
    act(() => clock.tick(2000));
    expect(q('[data-testid="replay-board"]')?.dataset.done).toBe('true');
    expect(q('[data-testid="replay-end"]')?.dataset.score).toBe('24');
    expect(q('[data-testid="replay-end"]')?.textContent).toContain('the rules give 24 points');
    expect(q('[data-testid="replay-toggle"]')?.textContent).toBe('Watch again');
  });

  it('pauses, and plays at 2x', async () => {
    const clock = await open(() => Promise.resolve(game));
    act(() => q('[data-testid="replay-toggle"]')!.click());
    expect(q('[data-testid="replay-toggle"]')?.getAttribute('aria-pressed')).toBe('false');
    act(() => clock.tick(5000));
    expect(q('[data-testid="replay-board"]')?.dataset.now).toBe('0');
    act(() => q('[data-testid="replay-speed-2"]')!.click());
    expect(q('[data-testid="replay-speed-2"]')?.getAttribute('aria-pressed')).toBe('true');
    act(() => q('[data-testid="replay-toggle"]')!.click());
    act(() => clock.tick(400));
    act(() => q('[data-testid="replay-toggle"]')!.click()); // pause shows the moment exactly
    expect(q('[data-testid="replay-board"]')?.dataset.now).toBe('800');
  });

  it('closes on Escape and on its button, and says when a replay is not available', async () => {
    const onClose = vi.fn();
    await open(() => Promise.reject(new ApiError(404, 'not found')), onClose, 'es');
    expect(q('[data-testid="replay-unavailable"]')?.textContent).toBe('Esta repetición no está disponible.');
    expect(document.activeElement).toBe(q('[data-testid="replay-close"]'));
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    });
    act(() => q('[data-testid="replay-close"]')!.click());
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
