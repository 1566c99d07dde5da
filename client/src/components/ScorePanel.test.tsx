// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { Game } from '../rules';
import { render, type Rendered } from '../test/render';
import { ScorePanel } from './ScorePanel';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

describe('ScorePanel', () => {
  it('shows score, level and lives (♥ left, ♡ lost) with test ids', () => {
    const g = new Game('classic', 3);
    const lit = g.snapshot().lit ?? 0;
    g.press(200, (lit + 1) % 11);
    view = render(<ScorePanel snapshot={g.snapshot()} />, 'en');
    const q = (id: string) => view!.container.querySelector(`[data-testid="${id}"]`);
    expect(q('score')?.textContent).toBe('0');
    expect(q('level')?.textContent).toBe('1');
    expect(q('lives')?.textContent).toBe('♥♥♡');
    expect(q('lives')?.getAttribute('data-value')).toBe('2');
    expect(q('lives')?.getAttribute('aria-label')).toBe('2 of 3 lives');
    expect(view.container.textContent).toContain('Score');
  });
});
