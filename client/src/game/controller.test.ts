import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { Game, Rng, replay } from '../rules';
import { FakeClock, flush } from '../test/fakeClock';
import type { Cue } from './cues';
import {
  BEAT_MS,
  CONFIRM_MIN_MS,
  CONFIRM_MS,
  FLASH_MS,
  GameController,
  KEY_START_GUARD_MS,
  READY_BEATS,
  type ControllerDeps,
  type FinishedServerGame,
} from './controller';

const READY_MS = READY_BEATS * BEAT_MS;

function setup(overrides: Partial<ControllerDeps> = {}) {
  const clock = new FakeClock();
  const submitted: FinishedServerGame[] = [];
  const cues: Cue[] = [];
  const deps: ControllerDeps = {
    clock,
    startGame: vi.fn(async () => ({ gameId: 'g1', seed: 42, token: 'tok' })),
    submitResult: (g) => submitted.push(g),
    randomSeed: () => 7,
    cue: (c) => cues.push(c),
    ...overrides,
  };
  const controller = new GameController(deps);
  /** play starts a game and runs its ready beat: the clock of the game is at 0. */
  const play = async () => {
    await controller.start();
    clock.tick(READY_MS);
  };
  return { clock, controller, submitted, deps, cues, play };
}

describe('GameController', () => {
  it('starts a classic game with the server seed and lights its first button', async () => {
    const { controller, play } = setup();
    await play();
    const s = controller.getState();
    expect(s.stage).toBe('playing');
    expect(s.practice).toBe(false);
    expect(s.snapshot?.lit).toBe(new Rng(42).button(null));
    expect(s.message.key).toBe('msgClassicRound');
  });

  it('scores a correct press, flashes it for 280 ms, and locks until the next round', async () => {
    const { controller, clock, play } = setup();
    await play();
    const lit = controller.getState().snapshot?.lit ?? -1;
    clock.tick(400);
    controller.press(lit);
    let s = controller.getState();
    expect(s.snapshot).toMatchObject({ score: 12, combo: 1, phase: 'locked', lit: null });
    expect(s.flash).toMatchObject({ button: lit, kind: 'correct' });
    expect(s.message).toEqual({ key: 'msgClassicHit', params: { points: 12 } });
    clock.tick(FLASH_MS);
    s = controller.getState();
    expect(s.flash).toBeNull();
    clock.tick(350 - FLASH_MS);
    expect(controller.getState().snapshot?.phase).toBe('lit');
  });

  it('runs out of lives on timeouts and submits presses that replay to the same result', async () => {
    const { controller, clock, submitted, play } = setup();
    await play();
    const lit = controller.getState().snapshot?.lit ?? 0;
    clock.tick(250);
    controller.press((lit + 1) % 11); // wrong
    clock.tick(500);
    controller.press(lit); // right
    clock.tick(20000); // three timeouts
    const s = controller.getState();
    expect(s.stage).toBe('over');
    expect(s.message.key).toBe('msgOverTimeout');
    expect(s.result).toMatchObject({ status: 'sending', gameId: 'g1' });
    expect(submitted).toHaveLength(1);
    const g = submitted[0]!;
    expect(g.presses).toEqual([
      { t: 250, button: (lit + 1) % 11 },
      { t: 750, button: lit },
    ]);
    const r = replay('classic', 42, g.presses, g.endedAt);
    expect(r).toMatchObject({ verdict: 'accepted', score: g.localScore, lives: 0, endedAt: g.endedAt });
    expect(s.snapshot?.score).toBe(r.score);
  });

  it('Terminar ends the game now, submits it, and leaves no timer running', async () => {
    const { controller, clock, submitted, play } = setup();
    await play();
    clock.tick(1234);
    controller.end();
    expect(controller.getState().stage).toBe('over');
    expect(controller.getState().message.key).toBe('msgQuit');
    expect(submitted[0]).toMatchObject({ endedAt: 1234, presses: [] });
    expect(clock.pending).toBe(0);
    const before = controller.getState();
    clock.tick(60000);
    expect(controller.getState()).toBe(before); // nothing moved: no second round
  });

  it('Terminar during the countdown cancels the game, even when the server answers later', async () => {
    let resolve: (g: { gameId: string; seed: number; token: string }) => void = () => {};
    const { controller, clock } = setup({ startGame: () => new Promise((r) => (resolve = r)) });
    const started = controller.start();
    expect(controller.getState().stage).toBe('ready');
    controller.end();
    expect(controller.getState().stage).toBe('idle');
    resolve({ gameId: 'late', seed: 1, token: 't' });
    await started;
    clock.tick(READY_MS * 2);
    expect(controller.getState().stage).toBe('idle');
    expect(clock.pending).toBe(0);
  });

  it('plays a practice game when the server cannot start one, says so from the countdown on, and submits nothing', async () => {
    const { controller, clock, submitted } = setup({ startGame: () => Promise.reject(new Error('offline')) });
    await controller.start();
    expect(controller.getState()).toMatchObject({ stage: 'ready', practice: true });
    clock.tick(READY_MS);
    expect(controller.getState()).toMatchObject({ stage: 'playing', practice: true });
    expect(controller.getState().snapshot?.lit).toBe(new Rng(7).button(null));
    clock.tick(100);
    controller.end();
    expect(controller.getState().result).toEqual({ status: 'practice', localScore: 0 });
    expect(submitted).toHaveLength(0);
  });

  it('a daily challenge asks the server for it, and never turns into a practice game', async () => {
    const { controller, deps, clock } = setup();
    await controller.start('daily');
    expect(deps.startGame).toHaveBeenCalledWith('classic', 'daily');
    clock.tick(READY_MS);
    expect(controller.getState()).toMatchObject({ stage: 'playing', practice: false });

    const played = setup({ startGame: () => Promise.reject(new ApiError(409, 'Challenge already played')) });
    await played.controller.start('daily');
    expect(played.controller.getState()).toMatchObject({ stage: 'idle', countdown: 0, practice: false, message: { key: 'msgChallengePlayed' } });
    expect(played.clock.pending).toBe(0); // the countdown stopped
    played.clock.tick(READY_MS);
    expect(played.controller.getState().stage).toBe('idle');

    const offline = setup({ startGame: () => Promise.reject(new ApiError(0, 'network error')) });
    await offline.controller.start('daily');
    expect(offline.controller.getState()).toMatchObject({ stage: 'idle', message: { key: 'msgChallengeNotStarted' } });
  });

  it('memory: shows the sequence, then takes it back from the player', async () => {
    const { controller, clock, play } = setup();
    controller.selectMode('memory');
    expect(controller.getState().message.key).toBe('msgModeMemory');
    await play();
    const first = new Game('memory', 42).snapshot();
    expect(first.length).toBe(1);
    expect(controller.getState().snapshot?.phase).toBe('locked');
    clock.tick(350);
    const shown = controller.getState().snapshot;
    expect(shown?.phase).toBe('showing');
    const button = shown?.lit ?? -1;
    expect(button).toBe(new Rng(42).button(null));
    controller.press(button); // during playback: ignored
    expect(controller.getState().snapshot?.entered).toBe(0);
    clock.tick(1020);
    expect(controller.getState().snapshot?.phase).toBe('input');
    expect(controller.getState().message.key).toBe('msgMemoryInput');
    clock.tick(300);
    controller.press(button);
    expect(controller.getState().snapshot).toMatchObject({ score: 38, level: 2, length: 2 });
    expect(controller.getState().message).toEqual({ key: 'msgMemoryComplete', params: { points: 38, level: 2 } });
  });

  it('ignores the mode buttons and presses when no game runs', async () => {
    const { controller, play } = setup();
    controller.press(3);
    expect(controller.getState().snapshot).toBeNull();
    await play();
    controller.selectMode('memory');
    expect(controller.getState().mode).toBe('classic');
  });

  it('shows the server verdict only for the last game', async () => {
    const { controller, clock, play } = setup();
    await play();
    clock.tick(10);
    controller.end();
    const server = { gameId: 'g1', mode: 'classic' as const, status: 'accepted' as const, score: 0, level: 1, lives: 3, maxCombo: 0, rounds: 0, endedAt: 10 };
    expect(controller.showResult('other', { status: 'accepted', gameId: 'other', localScore: 0, server })).toBe(false);
    expect(controller.getState().result?.status).toBe('sending');
    expect(controller.showResult('g1', { status: 'accepted', gameId: 'g1', localScore: 0, server })).toBe(true);
    expect(controller.getState().result?.status).toBe('accepted');
    await flush();
  });
  it('counts 3, 2, 1 before the clock starts: no light, no press, and t = 0 on the last beat', async () => {
    const { controller, clock, cues, submitted } = setup();
    await controller.start();
    expect(controller.getState()).toMatchObject({ stage: 'ready', countdown: 3, snapshot: null, message: { key: 'msgReady', params: { n: 3 } } });
    controller.press(new Rng(42).button(null)); // before the game: ignored
    clock.tick(BEAT_MS);
    expect(controller.getState()).toMatchObject({ stage: 'ready', countdown: 2 });
    clock.tick(BEAT_MS);
    expect(controller.getState()).toMatchObject({ stage: 'ready', countdown: 1 });
    expect(cues).toEqual([{ type: 'tick' }, { type: 'tick' }, { type: 'tick' }]);
    clock.tick(BEAT_MS - 1);
    expect(controller.getState().stage).toBe('ready');
    clock.tick(1);
    expect(controller.getState()).toMatchObject({ stage: 'playing', countdown: 0 });
    expect(controller.getState().snapshot?.lit).toBe(new Rng(42).button(null));
    expect(cues.at(-1)).toEqual({ type: 'go' });
    clock.tick(400);
    controller.end();
    expect(submitted[0]).toMatchObject({ endedAt: 400, presses: [] }); // the countdown is not game time
  });

  it('holds the countdown while the server has not answered, then gives one more beat before the first light', async () => {
    let resolve: (g: { gameId: string; seed: number; token: string }) => void = () => {};
    const { controller, clock } = setup({ startGame: () => new Promise((r) => (resolve = r)) });
    const started = controller.start();
    clock.tick(READY_MS + 2000);
    expect(controller.getState()).toMatchObject({ stage: 'starting', message: { key: 'msgStarting' } });
    expect(controller.getState().snapshot).toBeNull();
    resolve({ gameId: 'slow', seed: 3, token: 't' });
    await started;
    expect(controller.getState()).toMatchObject({ stage: 'ready', countdown: 1 });
    clock.tick(BEAT_MS);
    expect(controller.getState().stage).toBe('playing');
    expect(controller.getState().snapshot?.lit).toBe(new Rng(3).button(null));
  });

  it('a second start (a double click) leaves the one game, and asks the server once', async () => {
    const { controller, deps, play } = setup();
    const first = controller.start();
    await controller.start();
    await first;
    expect(deps.startGame).toHaveBeenCalledTimes(1);
    controller.restart(); // the second click of the double click lands on Reiniciar: it only asks
    expect(controller.getState()).toMatchObject({ stage: 'ready', confirmRestart: true });
    await play(); // ignored too: a game is on
    expect(deps.startGame).toHaveBeenCalledTimes(1);
    expect(controller.getState().stage).toBe('playing');
  });

  it('Reiniciar asks first, ignores a double click, and then restarts: the game ends (sent) and a new one counts down', async () => {
    const { controller, clock, submitted, deps, play } = setup();
    await play();
    clock.tick(1000);
    controller.restart();
    expect(controller.getState()).toMatchObject({ stage: 'playing', confirmRestart: true });
    controller.restart(); // at once: the second click of a double click
    expect(controller.getState().stage).toBe('playing');
    clock.tick(CONFIRM_MIN_MS);
    controller.restart();
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.endedAt).toBe(1000 + CONFIRM_MIN_MS);
    expect(controller.getState()).toMatchObject({ stage: 'ready', confirmRestart: false, countdown: 3, result: null });
    await Promise.resolve();
    expect(deps.startGame).toHaveBeenCalledTimes(2);
  });

  it('Reiniciar forgets the question after a while', async () => {
    const { controller, clock, play } = setup();
    controller.selectMode('memory'); // no time limit: the game stays on
    await play();
    controller.restart();
    clock.tick(CONFIRM_MS);
    expect(controller.getState()).toMatchObject({ stage: 'playing', confirmRestart: false });
    controller.restart(); // asks again
    expect(controller.getState()).toMatchObject({ stage: 'playing', confirmRestart: true });
  });

  it('Enter or Space start a game when none is on, never during one, and not right after the last ended', async () => {
    const { controller, clock, deps } = setup();
    controller.keyStart();
    expect(controller.getState().stage).toBe('ready');
    await Promise.resolve();
    controller.keyStart();
    clock.tick(READY_MS);
    controller.keyStart();
    expect(controller.getState().stage).toBe('playing');
    expect(deps.startGame).toHaveBeenCalledTimes(1);
    controller.end();
    controller.keyStart(); // the key that was held at the end
    expect(controller.getState().stage).toBe('over');
    clock.tick(KEY_START_GUARD_MS);
    controller.keyStart();
    expect(controller.getState().stage).toBe('ready');
  });

  it('classic: times the reactions of the correct presses from the moment their button lit', async () => {
    const { controller, clock, play } = setup();
    await play();
    const rng = new Rng(42);
    const first = rng.button(null);
    clock.tick(420);
    controller.press((first + 1) % 11); // a miss is not a reaction
    clock.tick(100);
    controller.press(first); // 520 ms after the light
    clock.tick(350 + 310);
    controller.press(rng.button(first)); // 310 ms after the next light
    controller.end();
    expect(controller.getState().reaction).toEqual({ count: 2, averageMs: 415, bestMs: 310 });
  });

  it('cues a tone per correct press, the miss, the level and the end', async () => {
    const { controller, clock, cues, play } = setup();
    await play();
    cues.length = 0;
    const rng = new Rng(42);
    let lit = rng.button(null);
    for (let i = 0; i < 5; i++) {
      clock.tick(300);
      controller.press(lit);
      expect(cues.slice(-1)[0]).toEqual(i < 4 ? { type: 'tone', button: lit } : { type: 'level' });
      lit = rng.button(lit);
      clock.tick(350);
    }
    expect(cues.filter((c) => c.type === 'tone')).toHaveLength(5);
    controller.press((lit + 1) % 11);
    expect(cues.at(-1)).toEqual({ type: 'miss' });
    clock.tick(60000);
    expect(cues.at(-1)).toEqual({ type: 'over' });
  });
});
