#!/usr/bin/env node
// End-to-end, the live board: a leaderboard open in one page updates
// without a reload (and without a poll or the refresh button) when a game
// played in another page enters its top 10, the changed row highlighted.
//
//   LIGHTPRESS_URL=http://127.0.0.1:8080 node e2e/live.spec.mjs
//
// browser.mjs launches Debian's chromium.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, browser, useChromium, watchProblems } from './browser.mjs';
import { hitLitButtons } from './classic.mjs';

useChromium();

async function openPage(viewport) {
  const context = await browser.newContext({ locale: 'en-GB', viewport });
  const page = await context.newPage();
  const problems = watchProblems(page, [], { console: false });
  await page.goto(new URL('/', BASE).href);
  await page.waitForSelector('[data-testid="board"]');
  await page.waitForFunction(() => localStorage.getItem('lightpress.session'), null, { timeout: 15000 });
  return { context, page, problems };
}

test('a board open in one page updates live when a game in another page enters its top 10', { timeout: 120000 }, async () => {
  const watcher = await openPage({ width: 1280, height: 800 });
  const player = await openPage({ width: 1280, height: 800 });
  try {
    const { page: board } = watcher;
    await board.click('[data-view="leaderboard"]');
    await board.click('[data-testid="lb-mode-classic"]');
    await board.click('[data-testid="lb-period-all"]');
    await board.waitForSelector('[data-testid="live-status"][data-status="live"]', { timeout: 15000 });
    // From here on, the board may change only by a push: count its reads.
    let reads = 0;
    board.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/leaderboards/')) reads++;
    });

    // The other page plays a classic game like a person: a few hits, then quits.
    const { page } = player;
    await page.click('[data-mode="classic"]');
    await page.click('[data-testid="start"]');
    await page.waitForSelector('[data-stage="playing"]', { timeout: 15000 });
    await hitLitButtons(page, 5);
    await page.click('[data-testid="start"]'); // quit
    const result = await page.waitForSelector('[data-testid="result"][data-status="accepted"]', { timeout: 30000 });
    const score = Number(await result.getAttribute('data-score'));
    const playerId = await page.evaluate(() => JSON.parse(localStorage.getItem('lightpress.player')).id);
    const accepted = Date.now();

    const row = await board.waitForSelector(`[data-testid="leaderboard-top"] [data-testid="leaderboard-row"][data-player-id="${playerId}"][data-score="${score}"]`, {
      timeout: 10000,
    });
    const lag = Date.now() - accepted;
    console.log(`# the board showed the game ${lag} ms after the result was accepted`);
    assert.equal(await row.getAttribute('data-changed'), 'true', 'the new row is not highlighted');
    assert.equal(reads, 0, `the board read the API ${reads} time(s): it was not updated by the push`);
    assert.deepEqual([...watcher.problems, ...player.problems], [], 'the pages logged errors');
  } finally {
    await watcher.context.close();
    await player.context.close();
  }
});
