// Playing classic rounds in a browser test the way a person does: wait for
// the lit button, press it after a human reaction time (human.mjs), and let
// the board lock before the next round.

import { humanReactionMs } from './human.mjs';

/** hitLitButtons presses the lit button `hits` times in a row on the page's board. */
export async function hitLitButtons(page, hits) {
  for (let i = 0; i < hits; i++) {
    const lit = await page.waitForSelector('[data-testid="board"] [data-state="lit"]', { timeout: 8000 });
    const b = await lit.getAttribute('data-button');
    await page.waitForTimeout(humanReactionMs());
    await page.click(`[data-testid="board"] [data-button="${b}"]`);
    // After a hit the board locks for 350 ms: the button goes off.
    await page
      .waitForFunction((n) => document.querySelector(`[data-testid="board"] [data-button="${n}"]`)?.dataset.state !== 'lit', b, { timeout: 4000 })
      .catch(() => {});
  }
}
