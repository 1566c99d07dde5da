// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { Game } from '../rules';
import { render, type Rendered } from '../test/render';
import { StatusCard, progressOf } from './StatusCard';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

describe('progressOf', () => {
  it('classic: time left of the round, as 2.4s', () => {
    const g = new Game('classic', 1);
    g.advance(600);
    expect(progressOf(g.snapshot(), 600)).toEqual({ pill: '2.4s', fraction: 0.8, label: 'timeLeft' });
    expect(progressOf(g.snapshot(), 2950).pill).toBe('0.1s'); // the UI clock runs ahead of the last advance
  });

  it('memory: step being shown, then steps entered, as k/n', () => {
    const g = new Game('memory', 1);
    expect(progressOf(g.snapshot(), 0).pill).toBe('0/1');
    g.advance(400);
    expect(progressOf(g.snapshot(), 400)).toMatchObject({ pill: '1/1', fraction: 1, label: 'sequenceProgress' });
  });

  it('before any game: a dash', () => {
    expect(progressOf(null, 0).pill).toBe('--');
  });
});

describe('StatusCard', () => {
  it('shows the message in a live region and the progress bar value', () => {
    const g = new Game('classic', 1);
    g.advance(1500);
    view = render(<StatusCard snapshot={g.snapshot()} message={{ key: 'msgClassicRound' }} playing={false} elapsed={() => 1500} />);
    const status = view.container.querySelector('[data-testid="status"]');
    expect(status?.textContent).toBe('¡Presiona el botón encendido!');
    expect(status?.getAttribute('aria-live')).toBe('polite');
    expect(view.container.querySelector('[data-testid="pill"]')?.textContent).toBe('1.5s');
    expect(view.container.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('50');
  });
});
