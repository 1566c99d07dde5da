// Playing classic in a browser test the way a person does: wait for the
// lit button, press it a human reaction time (human.mjs) after it lit (the
// time Playwright took to see it counts), and let the board lock before
// the next round.

import { humanReactionMs } from './human.mjs';

/** CLICK_MS is about what Playwright takes from the call to the press arriving in the page. */
const CLICK_MS = 40;

/** watchLights records in the page when a button last lit (once per page). */
async function watchLights(page) {
  await page.evaluate(() => {
    if (window.__hitsLitAt !== undefined) return;
    window.__hitsLitAt = null;
    new MutationObserver((records) => {
      for (const r of records) if (r.target.dataset.state === 'lit') window.__hitsLitAt = performance.now();
    }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
  });
}

/** litButton waits for a lit button on the page's board and returns its number. */
export async function litButton(page, timeout = 8000) {
  const el = await page.waitForSelector('[data-testid="board"] [data-state="lit"]', { timeout });
  return Number(await el.getAttribute('data-button'));
}

/** react waits until a human reaction time has passed since the last light came on. */
export async function react(page) {
  await watchLights(page);
  const since = await page.evaluate(() => (window.__hitsLitAt === null ? 0 : performance.now() - window.__hitsLitAt));
  await page.waitForTimeout(Math.max(0, humanReactionMs() - since - CLICK_MS));
}

/**
 * hitLitButtons presses the lit button `hits` times in a row on the page's
 * board (fewer if the game ends first), by click, or by tap.
 */
export async function hitLitButtons(page, hits, { tap = false } = {}) {
  await watchLights(page);
  for (let i = 0; i < hits && !(await page.$('[data-stage="over"]')); i++) {
    const b = await litButton(page);
    await react(page);
    const target = page.locator(`[data-testid="board"] [data-button="${b}"]`);
    await (tap ? target.tap({ timeout: 3000 }) : target.click({ timeout: 3000 }));
    // After a hit the board locks for 350 ms: the button goes off.
    await page
      .waitForFunction((n) => document.querySelector(`[data-testid="board"] [data-button="${n}"]`)?.dataset.state !== 'lit', b, { timeout: 4000 })
      .catch(() => {});
  }
}
