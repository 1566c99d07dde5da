// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { GameResult } from '../api';
import { render, type Rendered } from '../test/render';
import { ResultCard } from './ResultCard';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

const held: GameResult = { gameId: 'g1', mode: 'classic', status: 'held', score: 940, level: 9, lives: 3, maxCombo: 40, rounds: 40, endedAt: 26000 };

describe('ResultCard', () => {
  it('says plainly that a held game is under review, in Spanish and English', () => {
    for (const [lang, words] of [
      ['es', 'en revisión'],
      ['en', 'under review'],
    ] as const) {
      view = render(<ResultCard result={{ status: 'held', gameId: 'g1', localScore: 940, server: held }} onRetry={() => {}} />, lang);
      const card = view.container.querySelector<HTMLElement>('[data-testid="result"]')!;
      expect(card.dataset.status).toBe('held');
      expect(card.textContent?.toLowerCase()).toContain(words);
      expect(card.textContent).toContain('940');
      view.unmount();
      view = null;
    }
  });
});
