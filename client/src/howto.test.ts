// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { HOWTO_KEY, HowTo, howToUp } from './howto';

beforeEach(() => localStorage.clear());

describe('HowTo', () => {
  it('shows each mode once, until dismissed, and remembers it across visits', () => {
    const h = new HowTo();
    expect(howToUp(h.getState(), 'classic', false)).toBe(true);
    expect(howToUp(h.getState(), 'classic', true)).toBe(false); // never over a game
    h.dismiss('classic');
    expect(howToUp(h.getState(), 'classic', false)).toBe(false);
    expect(howToUp(h.getState(), 'memory', false)).toBe(true);
    expect(JSON.parse(localStorage.getItem(HOWTO_KEY) ?? '{}')).toEqual({ classic: true });
    expect(howToUp(new HowTo().getState(), 'classic', false)).toBe(false);
  });

  it('opens again on request, and closes', () => {
    const h = new HowTo();
    h.dismiss('memory');
    h.open('memory');
    expect(howToUp(h.getState(), 'memory', false)).toBe(true);
    h.dismiss('memory');
    expect(h.getState().open).toBeNull();
  });

  it('survives a broken stored value', () => {
    localStorage.setItem(HOWTO_KEY, '"nonsense"');
    expect(howToUp(new HowTo().getState(), 'classic', false)).toBe(true);
  });
});
