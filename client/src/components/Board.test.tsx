// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, type Rendered } from '../test/render';
import { Board } from './Board';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

function buttons(container: HTMLElement): HTMLButtonElement[] {
  return [...container.querySelectorAll<HTMLButtonElement>('[data-button]')];
}

describe('Board', () => {
  it('renders 11 buttons 0..10 in rows of 4, 3 and 4, each with its key', () => {
    view = render(<Board lit={null} phase="idle" flash={null} playing={false} onPress={() => {}} />);
    const all = buttons(view.container);
    expect(all.map((b) => b.dataset.button)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(all.map((b) => b.style.gridRow)).toEqual(['1', '1', '1', '1', '2', '2', '2', '3', '3', '3', '3']);
    expect(all[4]?.style.gridColumn).toBe('2 / span 2');
    expect(all[10]?.querySelector('kbd')?.textContent).toBe('-');
    expect(all.every((b) => b.dataset.state === 'off')).toBe(true);
    expect(all[0]?.getAttribute('aria-disabled')).toBe('true');
  });

  it('marks the lit button by state, label and icon, not only by colour', () => {
    view = render(<Board lit={6} phase="lit" flash={null} playing onPress={() => {}} />);
    const lit = view.container.querySelector<HTMLButtonElement>('[data-state="lit"]');
    expect(lit?.dataset.button).toBe('6');
    expect(lit?.getAttribute('aria-label')).toBe('Botón 6, tecla 6, encendido');
    expect(lit?.querySelector('.board-btn__icon')).not.toBeNull();
    expect(view.container.querySelectorAll('.board-btn__icon')).toHaveLength(1);
  });

  it('counts a pointer press once, on pointerdown, even though a click follows', () => {
    const onPress = vi.fn();
    view = render(<Board lit={2} phase="lit" flash={null} playing onPress={onPress} />);
    const b = buttons(view.container)[2]!;
    act(() => {
      b.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, pointerType: 'touch', button: 0 }));
      b.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    expect(onPress).toHaveBeenCalledTimes(1);
    expect(onPress).toHaveBeenCalledWith(2);
  });

  it('counts a keyboard activation (a click with no pointer before it)', () => {
    const onPress = vi.fn();
    view = render(<Board lit={2} phase="lit" flash={null} playing onPress={onPress} />);
    act(() => buttons(view!.container)[9]!.click());
    expect(onPress).toHaveBeenCalledWith(9);
  });

  it('does not press while no game runs', () => {
    const onPress = vi.fn();
    view = render(<Board lit={null} phase="idle" flash={null} playing={false} onPress={onPress} />);
    act(() => buttons(view!.container)[1]!.click());
    expect(onPress).not.toHaveBeenCalled();
  });

  it('shows a flash on the pressed button', () => {
    view = render(<Board lit={null} phase="locked" flash={{ button: 3, kind: 'wrong', seq: 1 }} playing onPress={() => {}} />);
    expect(buttons(view.container)[3]?.dataset.flash).toBe('wrong');
    expect(buttons(view.container)[2]?.dataset.flash).toBeUndefined();
  });
});
