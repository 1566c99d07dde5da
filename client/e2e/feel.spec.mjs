#!/usr/bin/env node
// Browser tests of how the game feels (issue 15), in Debian's chromium
// against a running Lightpress, at 1280 px and at 390 px (touch):
//
// - first visit: the how-to-play card of each mode (es and en), dismissed for good;
// - the ready beat (3, 2, 1) comes before the first light; Enter starts a
//   game from the keyboard and Space or Enter during it end nothing;
// - sound: no AudioContext before a gesture, tones once playing, the mute
//   toggle survives a reload;
// - a double click on Iniciar leaves one game; Reiniciar asks, then restarts;
// - the result card: the server's score, the rank on today's and the all-time
//   board, "new personal best" (and not on a worse game), reaction times,
//   share (clipboard here, Web Share on the phone); the board does not move;
// - on a phone after a first game: one toast, covering no board button and
//   not the status card, wherever the page is scrolled;
// - a practice game says so from its first beat; a pending result the
//   server later refuses is announced, with the reason.
//
// Games are played the way people play (human.mjs). Screenshots of each
// state go to client/screenshots/feel-*.png.
//
//   LIGHTPRESS_URL=http://127.0.0.1:8080 node e2e/feel.spec.mjs

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, SHOTS, browser, useChromium, watchProblems } from './browser.mjs';
import { litButton, react } from './classic.mjs';
import { slips } from './human.mjs';

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
/** The ready beat: READY_BEATS x BEAT_MS of src/game/controller.ts. */
const READY_MS = 3 * 500;

useChromium();

// ---------- helpers ----------

/**
 * watchPage runs in the page before its scripts: it counts AudioContexts and
 * the tones started, replaces navigator.share by a recorder (or removes it),
 * and keeps a timeline of the stage and of the first light of each game.
 */
function watchPage({ share }) {
  const audio = { contexts: 0, tones: 0 };
  window.__audio = audio;
  const Real = window.AudioContext;
  if (Real) {
    window.AudioContext = class extends Real {
      constructor(...args) {
        super(...args);
        audio.contexts++;
      }
      createOscillator() {
        const osc = super.createOscillator();
        const start = osc.start.bind(osc);
        osc.start = (...a) => {
          audio.tones++;
          return start(...a);
        };
        return osc;
      }
    };
  }
  window.__shared = [];
  Object.defineProperty(Navigator.prototype, 'share', {
    configurable: true,
    value: share ? async (data) => void window.__shared.push(data) : undefined,
  });
  window.__timeline = [];
  addEventListener('DOMContentLoaded', () => {
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target;
        if (r.attributeName === 'data-stage') window.__timeline.push({ at: performance.now(), stage: el.dataset.stage });
        if (r.attributeName === 'data-state' && el.dataset.state === 'lit') {
          window.__litAt = performance.now();
          window.__timeline.push({ at: window.__litAt, lit: Number(el.dataset.button) });
        }
      }
    }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-stage', 'data-state'] });
  });
}

async function open(device, { share = false, locale = 'es-ES' } = {}) {
  const context = await browser.newContext({ locale, ...device });
  await context.addInitScript(watchPage, { share });
  const page = await context.newPage();
  const problems = watchProblems(page);
  const requests = [];
  page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  await page.goto(new URL('/', BASE).href);
  await page.waitForSelector('[data-testid="board"]');
  await page.waitForFunction(() => localStorage.getItem('lightpress.session'), null, { timeout: 15000 });
  const touch = Boolean(device.hasTouch);
  const hit = (sel) => (touch ? page.locator(sel).tap() : page.locator(sel).click());
  return { context, page, problems, requests, hit };
}

const count = (requests, line) => requests.filter((r) => r === line || (line.endsWith('*') && r.startsWith(line.slice(0, -1)))).length;
const stage = (page) => page.getAttribute('.app', 'data-stage');
/** shot saves a screenshot once the page's animations (a card fading in, a toast sliding) have finished. */
async function shot(page, name, fullPage = false) {
  await page.evaluate(() => Promise.race([Promise.all(document.getAnimations().map((a) => a.finished)), new Promise((r) => setTimeout(r, 1000))])).catch(() => {});
  await page.screenshot({ path: `${SHOTS}feel-${name}.png`, fullPage });
}

/**
 * playClassic plays like a person: waits a human reaction time after each
 * light, presses it (by keyboard, tap or click), slips now and then; after
 * `hits` hits it loses the remaining lives on wrong buttons.
 */
async function playClassic(page, { hits, press }) {
  let scored = 0;
  while (scored < hits && (await stage(page)) === 'playing') {
    const b = await litButton(page).catch(() => null);
    if (b === null) continue;
    await react(page);
    const wrong = slips() && (await page.getAttribute('[data-testid="lives"]', 'data-value')) !== '1';
    await press(wrong ? (b + 3) % 11 : b).catch(() => {});
    if (!wrong) scored++;
    await page.waitForFunction((n) => document.querySelector(`[data-button="${n}"]`)?.dataset.state !== 'lit' || document.querySelector('.app')?.dataset.stage !== 'playing', b, { timeout: 4000 }).catch(() => {});
  }
  for (let i = 0; i < 12 && (await stage(page)) === 'playing'; i++) {
    const b = await litButton(page, 5000).catch(() => null);
    if (b === null) continue;
    await react(page);
    await press((b + 1) % 11).catch(() => {});
    await page.waitForTimeout(150);
  }
  await page.waitForSelector('[data-stage="over"]', { timeout: 15000 });
}

const keyOf = (b) => (b === 10 ? '-' : String(b));

/** hitTwice presses the next two lights after human reaction times, for a short game that is still a person's. */
async function hitTwice(page, press) {
  for (let i = 0; i < 2; i++) {
    const b = await litButton(page);
    await react(page);
    await press(b);
    await page.waitForFunction((n) => document.querySelector(`[data-button="${n}"]`)?.dataset.state !== 'lit', b, { timeout: 4000 });
  }
}

async function accepted(page) {
  const el = await page.waitForSelector('[data-testid="result"]:not([data-status="sending"])', { timeout: 30000 });
  assert.equal(await el.getAttribute('data-status'), 'accepted', `the server did not accept the game: ${await el.textContent()}`);
  return Number(await el.getAttribute('data-score'));
}

const boxOf = (page, sel) => page.locator(sel).boundingBox();

/** pageBox is an element's box in the page (not the viewport): it moves only when the layout does. */
const pageBox = (page, sel) =>
  page.locator(sel).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
  });

function intersects(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

// ---------- tests ----------

test('desktop, first visit: how to play in es and en, the ready beat, Enter starts and Space ends nothing, sound after a gesture, mute kept', { timeout: 180000 }, async () => {
  const { context, page, problems, requests } = await open(DESKTOP);
  try {
    assert.equal(await page.evaluate(() => window.__audio.contexts), 0, 'an AudioContext before any gesture');
    const howto = page.locator('[data-testid="howto"]');
    await howto.waitFor();
    assert.match(await howto.textContent(), /Cómo se juega: Clásico/);
    await shot(page, 'desktop-howto-es');
    await page.click('[lang="en"]');
    assert.match(await howto.textContent(), /How to play: Classic/);
    await shot(page, 'desktop-howto-en');
    await page.click('[lang="es"]');
    await page.click('[data-testid="howto-dismiss"]');
    assert.equal(await howto.count(), 0);
    await page.reload();
    await page.waitForSelector('[data-testid="board"]');
    assert.equal(await howto.count(), 0, 'the classic card came back after it was dismissed');
    await page.click('[data-mode="memory"]');
    assert.equal(await page.getAttribute('[data-testid="howto"]', 'data-mode'), 'memory');
    await page.click('[data-testid="howto-dismiss"]');
    await page.click('[data-mode="classic"]');

    // The keyboard player: Enter outside any control starts.
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    const t0 = await page.evaluate(() => performance.now());
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="countdown"][data-value="3"]');
    await shot(page, 'desktop-countdown');
    assert.equal(await page.$('[data-state="lit"]'), null, 'a light during the ready beat');
    await litButton(page);
    const timeline = await page.evaluate((since) => window.__timeline.filter((e) => e.at >= since), t0);
    const ready = timeline.find((e) => e.stage === 'ready');
    const firstLight = timeline.find((e) => 'lit' in e);
    assert.ok(ready && firstLight && ready.at < firstLight.at, `the ready beat before the first light: ${JSON.stringify(timeline)}`);
    assert.ok(firstLight.at - ready.at >= READY_MS - 100, `the first light came ${Math.round(firstLight.at - ready.at)} ms after the beat began`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'board', 'the board has the focus during a game');

    // Space and Enter during the game: nothing ends, nothing is sent, no second game.
    for (const k of ['Space', 'Enter', 'Space']) {
      await page.keyboard.press(k);
      await page.waitForTimeout(120);
    }
    assert.equal(await stage(page), 'playing');
    assert.equal(count(requests, 'POST /api/games'), 1);
    assert.equal(requests.filter((r) => r.endsWith('/result')).length, 0);
    await shot(page, 'desktop-playing-keyboard');
    await playClassic(page, { hits: 5, press: (b) => page.keyboard.press(keyOf(b)) });
    await accepted(page);
    const audio = await page.evaluate(() => window.__audio);
    assert.equal(audio.contexts, 1, 'one AudioContext, made on the first gesture');
    assert.ok(audio.tones >= 8, `tones for the beat, the hits and the misses: ${audio.tones}`);

    // Mute, and it stays muted after a reload: no AudioContext at all then.
    await page.click('[data-testid="mute"]');
    assert.equal(await page.getAttribute('[data-testid="mute"]', 'aria-pressed'), 'false');
    await page.reload();
    await page.waitForSelector('[data-testid="board"]');
    assert.equal(await page.getAttribute('[data-testid="mute"]', 'aria-pressed'), 'false', 'the mute toggle did not survive a reload');
    await page.click('[data-testid="start"]');
    await hitTwice(page, (b) => page.keyboard.press(keyOf(b)));
    await page.click('[data-testid="end"]');
    assert.equal(await page.evaluate(() => window.__audio.contexts), 0, 'muted, yet an AudioContext was made');
    await shot(page, 'desktop-muted');
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
});

test('desktop: a double click starts one game, Reiniciar asks then restarts, the result card shows rank and personal best, share copies', { timeout: 240000 }, async () => {
  const { context, page, problems, requests } = await open(DESKTOP);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(BASE).origin });
  const click = (b) => page.click(`[data-testid="board"] [data-button="${b}"]`);
  try {
    await page.click('[data-testid="howto-dismiss"]');
    const boardAtRest = await boxOf(page, '[data-testid="board"]');
    // Playwright's double click on Iniciar: one game.
    await page.dblclick('[data-testid="start"]');
    await litButton(page);
    await page.waitForTimeout(300);
    assert.equal(count(requests, 'POST /api/games'), 1, 'the double click asked for two games');
    assert.equal(await stage(page), 'playing');
    assert.deepEqual(await boxOf(page, '[data-testid="board"]'), boardAtRest, 'the board moved when the game started');
    await page.waitForFunction(() => !document.querySelector('[data-testid="start"][data-confirm]'), null, { timeout: 5000 });
    await hitTwice(page, click);
    await page.click('[data-testid="end"]');
    await accepted(page);

    // A person's double click (two clicks 120 ms apart): the second lands on Reiniciar, which only asks.
    await page.click('[data-testid="start"]');
    await page.waitForTimeout(120);
    await page.click('[data-testid="start"]');
    assert.equal(await page.getAttribute('[data-testid="start"]', 'data-confirm'), 'true', 'the second click should only ask');
    await litButton(page);
    assert.equal(count(requests, 'POST /api/games'), 2, 'the double click asked for two games');
    await shot(page, 'desktop-restart-asks');

    // Reiniciar confirmed: the game ends (its result is sent) and another one counts down.
    await page.waitForFunction(() => !document.querySelector('[data-testid="start"][data-confirm]'), null, { timeout: 5000 });
    await page.click('[data-testid="start"]');
    assert.equal(await page.getAttribute('[data-testid="start"]', 'data-confirm'), 'true', 'Reiniciar did not ask');
    assert.equal(await stage(page), 'playing');
    await page.waitForTimeout(500);
    await page.click('[data-testid="start"]');
    await page.waitForSelector('[data-testid="countdown"]');
    await litButton(page);
    assert.equal(count(requests, 'POST /api/games'), 3, 'Reiniciar did not start a new game');
    assert.equal(requests.filter((r) => r.endsWith('/result')).length, 2, 'the restarted game was not sent');

    await playClassic(page, { hits: 8, press: click });
    const score = await accepted(page);
    assert.ok(score > 0);
    await page.waitForSelector('[data-testid="rank-all"][data-rank]', { timeout: 30000 });
    await page.waitForSelector('[data-testid="rank-day"][data-rank]', { timeout: 30000 });
    await page.waitForSelector('[data-testid="new-best"]', { timeout: 5000 });
    assert.equal(Number(await page.textContent('[data-testid="final-score"]')), score);
    const reaction = await page.textContent('[data-testid="reaction"]');
    assert.match(reaction, /media \d+ ms · mejor \d+ ms/);
    console.log(`# the card says ${reaction}`);
    assert.deepEqual(await boxOf(page, '[data-testid="board"]'), boardAtRest, 'the board moved when the result card came');
    await shot(page, 'desktop-result-card');

    await page.click('[data-testid="share"]');
    await page.waitForSelector('[data-testid="share-note"]');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.includes(String(score)) && copied.includes(new URL('/', BASE).href), `shared text: ${copied}`);

    // A worse game: no new best, the best shown instead.
    await page.click('[data-testid="play-again"]');
    await hitTwice(page, click);
    await page.click('[data-testid="end"]');
    await accepted(page);
    await page.waitForSelector('[data-testid="best"]', { timeout: 30000 });
    assert.equal(await page.$('[data-testid="new-best"]'), null);
    assert.match(await page.textContent('[data-testid="best"]'), new RegExp(`Tu récord: ${score}`));
    await shot(page, 'desktop-result-not-best');
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
});

test('phone: after a first game one toast covers no board button nor the status card, wherever the page is scrolled; Web Share is used', { timeout: 180000 }, async () => {
  const { context, page, problems, hit } = await open(PHONE, { share: true });
  try {
    await hit('[data-testid="howto-dismiss"]');
    const boardAtRest = await pageBox(page, '[data-testid="board"]');
    await hit('[data-testid="start"]');
    await litButton(page);
    await shot(page, 'phone-playing');
    assert.deepEqual(await pageBox(page, '[data-testid="board"]'), boardAtRest, 'the board moved when the game started');
    await playClassic(page, { hits: 10, press: (b) => hit(`[data-testid="board"] [data-button="${b}"]`) });
    const score = await accepted(page);
    const toast = page.locator('[data-testid="toast"]');
    await toast.waitFor({ timeout: 30000 });
    await page.waitForTimeout(800); // anything else this game unlocked
    assert.equal(await toast.count(), 1, 'several unlocks should make one toast');
    await page.waitForSelector('[data-testid="rank-all"][data-rank]', { timeout: 30000 });
    assert.deepEqual(await pageBox(page, '[data-testid="board"]'), boardAtRest, 'the board moved when the result card came');
    await shot(page, 'phone-toast');

    const covered = async () => {
      const t = await toast.boundingBox();
      const visible = await toast.evaluate((el) => getComputedStyle(el).visibility === 'visible');
      if (!t || !visible) return [];
      const hits = [];
      for (const sel of ['#status-card', ...Array.from({ length: 11 }, (_, b) => `[data-testid="board"] [data-button="${b}"]`)]) {
        if (intersects(t, await boxOf(page, sel))) hits.push(sel);
      }
      return hits;
    };
    assert.deepEqual(await covered(), [], 'the toast covers the play area');
    for (const y of [0, 250, 500, 10000]) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(150);
      assert.deepEqual(await covered(), [], `scrolled to ${y}: the toast covers the play area`);
    }
    await page.evaluate(() => document.getElementById('status-card').scrollIntoView());
    await page.waitForTimeout(150);
    await shot(page, 'phone-result-card');

    await hit('[data-testid="share"]');
    const shared = await page.waitForFunction(() => window.__shared[0], null, { timeout: 5000 }).then((h) => h.jsonValue());
    assert.ok(shared.text.includes(String(score)) && shared.url === new URL('/', BASE).href, `shared ${JSON.stringify(shared)}`);
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
  }
});

test('phone: a practice game says so from its first beat', { timeout: 60000 }, async () => {
  const { context, page, hit } = await open(PHONE);
  try {
    await page.route('**/api/games', (route) => route.abort('internetdisconnected'));
    await hit('[data-testid="howto-dismiss"]');
    await hit('[data-testid="start"]');
    await page.waitForSelector('[data-testid="practice"]', { timeout: 3000 });
    assert.notEqual(await stage(page), 'playing', 'practice was only said once the game ran');
    assert.equal(await page.$('[data-state="lit"]'), null);
    await shot(page, 'phone-practice-countdown');
    await hitTwice(page, (b) => hit(`[data-testid="board"] [data-button="${b}"]`));
    await hit('[data-testid="end"]');
    await page.waitForSelector('[data-testid="result"][data-status="practice"]');
    await shot(page, 'phone-practice-result');
  } finally {
    await context.close();
  }
});

test('desktop: a pending result the server then refuses is announced, with the reason', { timeout: 120000 }, async () => {
  const { context, page, hit } = await open(DESKTOP);
  try {
    await page.route('**/api/games/*/result', (route) => route.abort('internetdisconnected'));
    await hit('[data-testid="howto-dismiss"]');
    await hit('[data-testid="start"]');
    await hitTwice(page, (b) => hit(`[data-testid="board"] [data-button="${b}"]`));
    await hit('[data-testid="end"]');
    await page.waitForSelector('[data-testid="result"][data-status="pending"]', { timeout: 15000 });
    await page.waitForSelector('[data-testid="pending"]');
    await shot(page, 'desktop-pending');

    // The stored result claims a game of ten hours: the server's clock refuses it.
    await page.evaluate(() => {
      const items = JSON.parse(localStorage.getItem('lightpress.pendingResults'));
      for (const item of items) item.endedAt = 36_000_000;
      localStorage.setItem('lightpress.pendingResults', JSON.stringify(items));
    });
    await page.unroute('**/api/games/*/result');
    await page.reload();
    const refused = await page.waitForSelector('[data-testid="refused"]', { timeout: 30000 });
    assert.match(await refused.textContent(), /no se guardó .*reloj del servidor/);
    assert.equal(await page.$('[data-testid="pending"]'), null);
    await shot(page, 'desktop-refused');
  } finally {
    await context.close();
  }
});
