#!/usr/bin/env node
// End-to-end, the daily challenge: a player opens the "Reto diario" card,
// plays today's classic challenge like a person, and sees their result,
// their place on the day's board and a share text that spoils nothing; the
// card knows it was played after its local memory is wiped (from the board);
// a second player, on a phone in English, sees the day's board with it.
//
//   LIGHTPRESS_URL=http://127.0.0.1:8080 node e2e/challenge.spec.mjs
//
// Screenshots in client/screenshots/challenge-*.png; browser.mjs launches
// Debian's chromium.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, SHOTS, browser, useChromium, watchProblems } from './browser.mjs';
import { hitLitButtons } from './classic.mjs';

useChromium();

/** The challenge numbers of now (and of a minute on, should the test straddle a UTC midnight): #1 is 2026-12-01. */
function todaysNumbers() {
  const n = (ms) => Math.floor((ms - Date.UTC(2026, 10, 30)) / 86_400_000);
  return new Set([n(Date.now()), n(Date.now() + 60_000)]);
}

async function openPage(locale, viewport) {
  const context = await browser.newContext({ locale, viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE).origin });
  const page = await context.newPage();
  // A 404 of the player's rank (not on the board yet) is how the API says
  // "no score": watchProblems lets a failed resource pass.
  const problems = watchProblems(page);
  await page.goto(new URL('/', BASE).href);
  await page.waitForSelector('[data-testid="challenge"]');
  await page.waitForFunction(() => localStorage.getItem('lightpress.session'), null, { timeout: 15000 });
  return { context, page, problems };
}

/** playChallenge plays hits lit buttons after human reaction times, then lets the lives run out (three timeouts). */
async function playChallenge(page, hits) {
  await hitLitButtons(page, hits);
  await page.waitForSelector('[data-stage="over"]', { timeout: 20000 });
}

test("today's challenge: played once, its result, rank and share text, and the day's board", { timeout: 180000 }, async () => {
  const first = await openPage('es-ES', { width: 1280, height: 800 });
  const second = await openPage('en-GB', { width: 390, height: 844 });
  try {
    const { page } = first;
    const number = await page.textContent('[data-testid="challenge-number"]');
    const n = Number(/^Lightpress #(\d+)$/.exec(number ?? '')?.[1]);
    assert.ok(todaysNumbers().has(n), `the card says ${number}, not today's number ${[...todaysNumbers()]}`);
    assert.match(await page.textContent('[data-testid="challenge"]'), /Reto diario/);
    assert.equal(await page.getAttribute('[data-testid="challenge-classic"]', 'data-state'), 'none');
    await page.screenshot({ path: `${SHOTS}challenge-desktop-start.png` });

    await page.click('[data-testid="challenge-play-classic"]');
    await page.waitForSelector('[data-stage="playing"]', { timeout: 15000 });
    assert.equal(await page.$('[data-testid="result"][data-status="practice"]'), null, 'the challenge fell back to a practice game');
    assert.equal(await page.getAttribute('[data-testid="challenge-classic"]', 'data-state'), 'playing');
    await playChallenge(page, 6);

    const result = await page.waitForSelector('[data-testid="result"][data-status="accepted"]', { timeout: 30000 });
    const score = Number(await result.getAttribute('data-score'));
    const row = await page.waitForSelector(`[data-testid="challenge-classic"][data-state="accepted"][data-score="${score}"]`, { timeout: 10000 });
    const share = await page.textContent('[data-testid="challenge-share-text-classic"]');
    assert.equal(share, `Lightpress #${n} · clásico · ${score.toLocaleString('en-US')}`);
    assert.equal(await page.$('[data-testid="challenge-play-classic"]'), null, 'the card still offers to play the classic challenge');
    const playerId = await page.evaluate(() => JSON.parse(localStorage.getItem('lightpress.player')).id);
    await page.waitForSelector(`[data-testid="challenge-top"] [data-player-id="${playerId}"][data-me]`, { timeout: 30000 });
    await page.waitForFunction(() => /puesto \d+ de hoy/.test(document.querySelector('[data-testid="challenge-classic"]')?.textContent ?? ''), null, {
      timeout: 15000,
    });
    await page.click('[data-testid="challenge-share-classic"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="challenge-share-classic"]')?.textContent === 'Copiado', null, { timeout: 5000 });
    // The line and a link to the game, nothing else.
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${share} ${new URL('/', BASE).href}`);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}challenge-desktop-played.png` });

    // The server refuses a second attempt, naming the first game.
    const again = await page.evaluate(async () => {
      const r = await fetch('/api/games', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${JSON.parse(localStorage.getItem('lightpress.session')).token}` },
        body: JSON.stringify({ mode: 'classic', challenge: 'daily' }),
      });
      return { status: r.status, body: await r.json() };
    });
    assert.equal(again.status, 409);
    assert.ok(again.body.gameId, 'the 409 names no game');

    // With its memory wiped (another device), the card learns it from the day's board.
    await page.evaluate(() => localStorage.removeItem('lightpress.challenge'));
    await page.reload();
    await page.waitForSelector(`[data-testid="challenge-classic"][data-state="accepted"][data-score="${score}"]`, { timeout: 15000 });
    assert.equal(await page.getAttribute('[data-testid="challenge-memory"]', 'data-state'), 'none');

    // Another player, on a phone, in English: the day's board has the game.
    const { page: phone } = second;
    assert.match(await phone.textContent('[data-testid="challenge"]'), /Daily challenge/);
    await phone.waitForSelector(`[data-testid="challenge-top"] [data-player-id="${playerId}"][data-score="${score}"]`, { timeout: 30000 });
    assert.equal(await phone.getAttribute('[data-testid="challenge-classic"]', 'data-state'), 'none');
    await phone.locator('[data-testid="challenge"]').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}challenge-phone-board.png`, fullPage: true });

    assert.deepEqual([...first.problems, ...second.problems], [], 'the pages logged errors');
  } finally {
    await first.context.close();
    await second.context.close();
  }
});
