#!/usr/bin/env node
// End-to-end: a player's identity in the real UI, in Debian's chromium,
// against a running Lightpress (client and API on one origin).
//
//   LIGHTPRESS_URL=http://127.0.0.1:8080 node e2e/accounts.spec.mjs
//
// - two tabs opened at once on a first visit are one player;
// - a game played in each tab counts, after a reload of both, in that
//   player's stats; a rename and a language change in one tab show in the
//   other without a reload;
// - the recovery code made in the profile moves the player to a fresh
//   browser context (another device), stats and all.
//
// Games are played like a person (classic.mjs, human.mjs).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, browser, useChromium, watchProblems } from './browser.mjs';
import { hitLitButtons } from './classic.mjs';
import { humanReactionMs } from './human.mjs';

/** Stats follow results through events: give them time. */
const STATS_WAIT_MS = Number(process.env.LIGHTPRESS_STATS_WAIT_MS ?? 30000);

useChromium();

async function open(page) {
  await page.goto(new URL('/', BASE).href);
  await page.waitForSelector('[data-testid="board"]');
}

/** sessionOf is the player this page's browser is signed in as (what every tab shares). */
async function sessionOf(page) {
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('lightpress.session') ?? 'null')?.playerId, null, { timeout: 15000 });
  return page.evaluate(() => JSON.parse(localStorage.getItem('lightpress.session')).playerId);
}

async function nickname(page) {
  await page.waitForFunction(() => {
    const n = document.querySelector('[data-testid="nickname"]')?.textContent ?? '';
    return n && !n.endsWith('…');
  });
  return page.textContent('[data-testid="nickname"]');
}

/** playClassic plays a short classic game by hand and quits with Reiniciar; it returns the accepted score. */
async function playClassic(page, hits) {
  await page.bringToFront(); // a background tab's timers and frames are throttled, as for a person
  await page.click('[data-view="play"]');
  await page.click('[data-mode="classic"]');
  await page.click('[data-testid="start"]');
  await page.waitForSelector('[data-stage="playing"]', { timeout: 15000 });
  await hitLitButtons(page, hits);
  await page.waitForTimeout(humanReactionMs());
  await page.click('[data-testid="start"]'); // Reiniciar
  const result = await page.waitForSelector('[data-testid="result"][data-status]:not([data-status="sending"]):not([data-status="pending"])', { timeout: 30000 });
  assert.equal(await result.getAttribute('data-status'), 'accepted', `the game was not accepted: ${await result.textContent()}`);
  return Number(await result.getAttribute('data-score'));
}

/** gamesPlayed opens the profile until its stats count n games (they follow events). */
async function waitGamesPlayed(page, n) {
  const deadline = Date.now() + STATS_WAIT_MS;
  for (;;) {
    await page.click('[data-view="profile"]');
    const stats = await page.waitForSelector('[data-testid="profile-stats"]', { timeout: 15000 });
    const played = Number((await stats.$eval('dd', (dd) => dd.textContent)) ?? 0);
    if (played === n) return;
    assert.ok(Date.now() < deadline, `the profile shows ${played} games played, not ${n}, after ${STATS_WAIT_MS} ms`);
    await page.click('[data-view="play"]');
    await page.waitForTimeout(1000);
  }
}

test('two tabs on a first visit are one player; both tabs\' games are in its stats; renames and language follow', { timeout: 240000 }, async () => {
  const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 800 } });
  const problems = [];
  try {
    const [a, b] = [await context.newPage(), await context.newPage()];
    watchProblems(a, problems);
    watchProblems(b, problems);
    await Promise.all([open(a), open(b)]); // at once, on an empty browser
    const [pa, pb] = [await sessionOf(a), await sessionOf(b)];
    assert.equal(pa, pb, 'the two tabs registered two players');
    assert.equal(await nickname(a), await nickname(b));

    await playClassic(a, 3);
    await playClassic(b, 2);
    await Promise.all([a.reload(), b.reload()]);
    await Promise.all([a.waitForSelector('[data-testid="board"]'), b.waitForSelector('[data-testid="board"]')]);
    assert.equal(await sessionOf(a), pa, 'a reload changed the player');
    assert.equal(await sessionOf(b), pa, 'a reload changed the player');
    await waitGamesPlayed(b, 2);

    // A rename in one tab shows in the other, without a reload.
    await a.click('[data-view="profile"]');
    await a.click('[data-testid="nickname-edit"]');
    await a.fill('[data-testid="nickname-input"]', 'Pestañas');
    await a.keyboard.press('Enter');
    await b.waitForFunction(() => document.querySelector('[data-testid="nickname"]')?.textContent === 'Pestañas', null, { timeout: 10000 });
    // And so does a language change.
    await a.click('button[lang="en"]');
    await b.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('[data-view="play"]')?.textContent === 'Play', null, { timeout: 10000 });
    assert.deepEqual(problems, [], 'the pages logged errors');
  } finally {
    await context.close();
  }
});

test('a recovery code moves the player to a fresh browser context', { timeout: 180000 }, async () => {
  const home = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const away = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const problems = [];
  try {
    const page = await home.newPage();
    watchProblems(page, problems);
    await open(page);
    const me = await sessionOf(page);
    const name = await nickname(page);
    await playClassic(page, 2);
    await page.click('[data-view="profile"]');
    await page.click('[data-testid="recovery-show"]');
    const code = (await page.textContent('[data-testid="recovery-code"]')).trim();
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    // Another device: a new guest at first, then the player of the code.
    const phone = await away.newPage();
    watchProblems(phone, problems);
    await open(phone);
    const guest = await sessionOf(phone);
    assert.notEqual(guest, me);
    await phone.click('[data-view="profile"]');
    await phone.fill('[data-testid="recovery-input"]', code.toLowerCase().replaceAll('-', ' '));
    await phone.click('[data-testid="recovery-use"]');
    await phone.waitForSelector('[data-testid="recovery-note"]');
    assert.equal(await phone.textContent('[data-testid="recovery-note"]'), `Welcome back, ${name}!`);
    assert.equal(await sessionOf(phone), me);
    assert.equal(await nickname(phone), name);
    await waitGamesPlayed(phone, 1);
    // Both devices go on as the player.
    await phone.reload();
    assert.equal(await sessionOf(phone), me);
    await page.reload();
    assert.equal(await sessionOf(page), me);
    assert.deepEqual(problems, [], 'the pages logged errors');
  } finally {
    await home.close();
    await away.close();
  }
});
