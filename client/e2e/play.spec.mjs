#!/usr/bin/env node
// End-to-end: plays Lightpress through the real UI in Debian's chromium, the way
// a player does, against a running Lightpress (client and API on one origin).
//
//   LIGHTPRESS_URL=http://127.0.0.1:8080 npm run e2e
//
// - classic: reads the lit button (data-state="lit"), clicks it after a human
//   reaction time, then presses wrong buttons until the lives run out;
// - memory: watches the sequence as it lights, repeats it, and ends the game
//   with "Terminar" after a few sequences;
// - checks that the server accepted each game with the score the page showed,
//   and that the score appears, highlighted, on the leaderboard view;
// - watches the top game of the classic board played back in the replay viewer;
// - plays a short game by touch at 390 px wide;
// - saves screenshots to client/screenshots/ (1280x800 and 390 px wide).
//
// Games are played like a person (classic.mjs, human.mjs); browser.mjs
// launches Debian's chromium.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, SHOTS, browser, useChromium, watchProblems } from './browser.mjs';
import { hitLitButtons, litButton } from './classic.mjs';
import { humanReactionMs } from './human.mjs';

/** The leaderboard follows results through events: give it time. */
const LEADERBOARD_WAIT_MS = Number(process.env.LIGHTPRESS_LEADERBOARD_WAIT_MS ?? 30000);

useChromium();

// ---------- helpers ----------

/** openGame opens the page in a fresh context (a new guest) and waits for the player session. */
async function openGame(options) {
  const context = await browser.newContext({ locale: 'es-ES', ...options });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(new URL('/', BASE).href);
  await page.waitForSelector('[data-testid="board"]');
  // The guest is registered (or loaded) when the token is stored.
  await page.waitForFunction(() => localStorage.getItem('lightpress.session'), null, { timeout: 15000 });
  await recordLights(page);
  return { context, page, problems };
}

/**
 * recordLights watches the board from inside the page: every button that
 * lights is appended to the current sequence, and when the board unlocks
 * for input (data-phase="input") the sequence seen so far becomes `ready`.
 */
async function recordLights(page) {
  await page.evaluate(() => {
    const lp = { cur: [], ready: null, phase: null };
    window.__lp = lp;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target;
        if (r.attributeName === 'data-state' && el.dataset.state === 'lit') lp.cur.push(Number(el.dataset.button));
        if (r.attributeName === 'data-phase' && el.dataset.testid === 'board') {
          const phase = el.dataset.phase;
          if (phase === 'input' && lp.phase !== 'input') {
            lp.ready = lp.cur;
            lp.cur = [];
          }
          if (phase === 'over' || phase === 'idle') lp.cur = [];
          lp.phase = phase;
        }
      }
    }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-state', 'data-phase'] });
  });
}

async function startGame(page, mode) {
  await page.click(`[data-mode="${mode}"]`);
  await page.click('[data-testid="start"]');
  await page.waitForSelector('[data-stage="playing"]', { timeout: 15000 });
  const practice = await page.$('[data-testid="result"][data-status="practice"]');
  assert.equal(practice, null, 'the server did not start the game: the client fell back to a practice game');
}

async function press(page, button) {
  await page.locator(`[data-testid="board"] [data-button="${button}"]`).click({ timeout: 3000 });
}

async function isOver(page) {
  return (await page.$('[data-stage="over"]')) !== null;
}

/** loseAllLives presses wrong buttons until the game is over. */
async function loseAllLives(page) {
  for (let i = 0; i < 12 && !(await isOver(page)); i++) {
    const b = await litButton(page).catch(() => null);
    if (b === null) continue;
    await page.waitForTimeout(150);
    await press(page, (b + 1) % 11);
    await page.waitForTimeout(120);
  }
  await page.waitForSelector('[data-stage="over"]', { timeout: 10000 });
}

/** playMemory repeats `sequences` sequences, screenshotting the second playback. */
async function playMemory(page, sequences, shot) {
  for (let s = 1; s <= sequences; s++) {
    if (s === 2 && shot) {
      await page.waitForSelector('[data-testid="board"] [data-state="lit"]', { timeout: 10000 });
      await page.screenshot({ path: shot });
    }
    await page.waitForFunction(() => window.__lp.ready !== null, null, { timeout: 30000 });
    const seq = await page.evaluate(() => {
      const r = window.__lp.ready;
      window.__lp.ready = null;
      return r;
    });
    assert.equal(seq.length, s, `sequence ${s} should have ${s} element(s), saw ${JSON.stringify(seq)}`);
    for (const b of seq) {
      await page.waitForTimeout(humanReactionMs());
      await press(page, b);
    }
    // The last press completes the sequence: the board locks before the longer one is shown.
    await page.waitForFunction(() => document.querySelector('[data-testid="board"]')?.dataset.phase !== 'input', null, { timeout: 5000 });
  }
}

/** acceptedScore waits for the server's verdict on the last game and returns the accepted score. */
async function acceptedScore(page) {
  const result = await page.waitForSelector('[data-testid="result"][data-status="accepted"], [data-testid="result"][data-status="rejected"], [data-testid="result"][data-status="failed"]', { timeout: 30000 });
  const status = await result.getAttribute('data-status');
  assert.equal(status, 'accepted', `the server did not accept the game: ${await result.textContent()}`);
  const score = Number(await result.getAttribute('data-score'));
  const shown = Number(await page.textContent('[data-testid="score"]'));
  assert.equal(score, shown, 'the server score differs from the score the page counted');
  return score;
}

/** expectOnLeaderboard opens the leaderboard and waits for the player's highlighted row with `score`. */
async function expectOnLeaderboard(page, mode, score) {
  await page.click('[data-view="leaderboard"]');
  await page.click(`[data-testid="lb-mode-${mode}"]`);
  await page.click('[data-testid="lb-period-all"]');
  const deadline = Date.now() + LEADERBOARD_WAIT_MS;
  for (;;) {
    const found = await page.$(`[data-testid="leaderboard-row"][data-me][data-score="${score}"]`);
    if (found) return;
    assert.ok(Date.now() < deadline, `score ${score} (${mode}) did not appear on the leaderboard within ${LEADERBOARD_WAIT_MS} ms`);
    await page.waitForTimeout(1500);
    await page.click('[data-testid="leaderboard-refresh"]');
    await page.waitForTimeout(500);
  }
}

async function backToGame(page) {
  await page.click('[data-view="play"]');
  await page.waitForSelector('[data-testid="board"]');
}

// ---------- tests ----------

test('desktop: a classic game and a memory game are scored by the server and ranked', { timeout: 240000 }, async () => {
  const { context, page, problems } = await openGame({ viewport: { width: 1280, height: 800 } });
  try {
    await page.screenshot({ path: `${SHOTS}desktop-start.png` });

    // Classic: a few hits, then wrong buttons until no lives are left.
    await startGame(page, 'classic');
    await litButton(page);
    await page.screenshot({ path: `${SHOTS}desktop-classic-playing.png` });
    await hitLitButtons(page, 6);
    await loseAllLives(page);
    assert.equal(await page.getAttribute('[data-testid="lives"]', 'data-value'), '0');
    const classic = await acceptedScore(page);
    assert.ok(classic > 0, 'the classic game should score');
    await page.screenshot({ path: `${SHOTS}desktop-classic-result.png` });

    // Memory: watch and repeat three sequences, then end the game with Terminar.
    await startGame(page, 'memory');
    await playMemory(page, 3, `${SHOTS}desktop-memory-playback.png`);
    await page.click('[data-testid="end"]');
    await page.waitForSelector('[data-stage="over"]');
    const memory = await acceptedScore(page);
    assert.ok(memory > 0, 'the memory game should score');
    assert.equal(await page.textContent('[data-testid="level"]'), '4');
    await page.screenshot({ path: `${SHOTS}desktop-memory-result.png` });

    await expectOnLeaderboard(page, 'classic', classic);
    await page.screenshot({ path: `${SHOTS}desktop-leaderboard-classic.png` });
    await expectOnLeaderboard(page, 'memory', memory);
    await page.screenshot({ path: `${SHOTS}desktop-leaderboard-memory.png` });

    await page.click('[data-view="profile"]');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${SHOTS}desktop-profile.png`, fullPage: true });
    await backToGame(page);

    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
});

test('phone (390 px, touch): a classic game played by tapping, ended with Terminar', { timeout: 120000 }, async () => {
  const { context, page, problems } = await openGame({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    await page.screenshot({ path: `${SHOTS}phone-start.png`, fullPage: true });
    await startGame(page, 'classic');
    await hitLitButtons(page, 3, { tap: true });
    await litButton(page);
    await page.screenshot({ path: `${SHOTS}phone-classic-playing.png` });
    await page.locator('[data-testid="end"]').tap();
    await page.waitForSelector('[data-stage="over"]');
    const score = await acceptedScore(page);
    assert.ok(score > 0, 'three hits should score');
    await page.screenshot({ path: `${SHOTS}phone-result.png`, fullPage: true });
    await expectOnLeaderboard(page, 'classic', score);
    await page.screenshot({ path: `${SHOTS}phone-leaderboard.png`, fullPage: true });
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
});

test('replay: the top game of the classic board plays back to its score', { timeout: 120000 }, async () => {
  const { context, page, problems } = await openGame({ viewport: { width: 1280, height: 800 } });
  try {
    await page.click('[data-view="leaderboard"]');
    await page.click('[data-testid="lb-mode-classic"]');
    await page.click('[data-testid="lb-period-all"]');
    const row = await page.waitForSelector('[data-testid="leaderboard-top"] [data-testid="leaderboard-row"]', { timeout: 30000 });
    const score = await row.getAttribute('data-score');
    await (await row.$('[data-testid="leaderboard-watch"]')).click();
    await page.waitForSelector('[role="dialog"] [data-testid="replay-board"]', { timeout: 15000 });
    await page.click('[data-testid="replay-speed-2"]');
    await page.waitForSelector('[data-testid="replay-board"] [data-state="lit"]', { timeout: 10000 });
    await page.screenshot({ path: `${SHOTS}desktop-replay.png` });
    const end = await page.waitForSelector('[data-testid="replay-end"][data-score]', { timeout: 90000 });
    assert.equal(await end.getAttribute('data-score'), score, 'the replay ends on a score other than the board shows');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="replay"]', { state: 'detached' });
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
});
