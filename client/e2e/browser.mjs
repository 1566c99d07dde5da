// What every browser test starts with: the running Lightpress it plays
// against (LIGHTPRESS_URL, client and API on one origin), Debian's chromium
// launched once for the spec's tests, and the errors its pages log.
//
// Needs /usr/bin/chromium (scripts/ensure-chromium.sh); CHROMIUM_PATH overrides it.

import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** BASE is the Lightpress under test; a spec run without it stops and says how to run it. */
export const BASE = process.env.LIGHTPRESS_URL;
if (!BASE) {
  const spec = `e2e/${basename(process.argv[1] ?? 'play.spec.mjs')}`;
  console.error(`e2e: set LIGHTPRESS_URL to the running Lightpress, e.g. LIGHTPRESS_URL=http://127.0.0.1:8080 node ${spec}`);
  process.exit(2);
}

/** SHOTS is where specs save screenshots (client/screenshots/, not committed). */
export const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** browser is the spec's chromium, from useChromium's before hook on. */
export let browser;

/** useChromium launches chromium headless before the spec's tests and closes it after them. */
export function useChromium() {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
  });
}

/**
 * watchProblems collects what goes wrong in the page (a script error; with
 * console, a console error too, such as a CSP violation; not a failed
 * resource, which is how the API says 404) into problems, for the end of
 * the test, and returns it.
 */
export function watchProblems(page, problems = [], { console = true } = {}) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  if (console) {
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
    });
  }
  return problems;
}
