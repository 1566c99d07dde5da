// Human-looking pacing for browser tests that play games: the server holds
// games whose presses look like a bot's (GAME_RULES.md, "Fair play"), so a
// test presses after a reaction time drawn the way people's are, right-skewed
// (ex-Gaussian: a normal part plus an exponential tail), and misses now and
// then. Playwright itself adds some tens of ms between seeing a light and
// the click, on top of the wait drawn here.

/** ex-Gaussian reaction time: normal(mu, sigma) + exponential(tau), in ms, clamped to [floor, ceil]. */
export function humanReactionMs({ mu = 320, sigma = 45, tau = 90, floor = 230, ceil = 1200 } = {}, rand = Math.random) {
  const u = 1 - rand();
  const v = rand();
  const normal = mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  const tail = -tau * Math.log(1 - rand());
  return Math.round(Math.min(ceil, Math.max(floor, normal + tail)));
}

/** slips says whether this press should go to a wrong button (people miss a few percent of the time). */
export function slips(rate = 0.05, rand = Math.random) {
  return rand() < rate;
}
