import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { Game, Rng, replay } from '../rules';
import { FakeClock, flush } from '../test/fakeClock';
import { FLASH_MS, GameController, type ControllerDeps, type FinishedServerGame } from './controller';

function setup(overrides: Partial<ControllerDeps> = {}) {
  const clock = new FakeClock();
  const submitted: FinishedServerGame[] = [];
  const deps: ControllerDeps = {
    clock,
    startGame: vi.fn(async () => ({ gameId: 'g1', seed: 42, token: 'tok' })),
    submitResult: (g) => submitted.push(g),
    randomSeed: () => 7,
    ...overrides,
  };
  const controller = new GameController(deps);
  return { clock, controller, submitted, deps };
}

describe('GameController', () => {
  it('starts a classic game with the server seed and lights its first button', async () => {
    const { controller } = setup();
    await controller.start();
    const s = controller.getState();
    expect(s.stage).toBe('playing');
    expect(s.practice).toBe(false);
    expect(s.snapshot?.lit).toBe(new Rng(42).button(null));
    expect(s.message.key).toBe('msgClassicRound');
  });

  it('scores a correct press, flashes it for 280 ms, and locks until the next round', async () => {
    const { controller, clock } = setup();
    await controller.start();
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
    const { controller, clock, submitted } = setup();
    await controller.start();
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

  it('Reiniciar ends the game now, submits it, and leaves no timer running', async () => {
    const { controller, clock, submitted } = setup();
    await controller.start();
    clock.tick(1234);
    controller.restart();
    expect(controller.getState().stage).toBe('over');
    expect(controller.getState().message.key).toBe('msgQuit');
    expect(submitted[0]).toMatchObject({ endedAt: 1234, presses: [] });
    expect(clock.pending).toBe(0);
    const before = controller.getState();
    clock.tick(60000);
    expect(controller.getState()).toBe(before); // nothing moved: no second round
  });

  it('Reiniciar while the server is starting the game cancels it', async () => {
    let resolve: (g: { gameId: string; seed: number; token: string }) => void = () => {};
    const { controller, clock } = setup({ startGame: () => new Promise((r) => (resolve = r)) });
    const started = controller.start();
    expect(controller.getState().stage).toBe('starting');
    controller.restart();
    expect(controller.getState().stage).toBe('idle');
    resolve({ gameId: 'late', seed: 1, token: 't' });
    await started;
    expect(controller.getState().stage).toBe('idle');
    expect(clock.pending).toBe(0);
  });

  it('plays a practice game when the server cannot start one, and submits nothing', async () => {
    const { controller, clock, submitted } = setup({ startGame: () => Promise.reject(new Error('offline')) });
    await controller.start();
    expect(controller.getState()).toMatchObject({ stage: 'playing', practice: true });
    expect(controller.getState().snapshot?.lit).toBe(new Rng(7).button(null));
    clock.tick(100);
    controller.restart();
    expect(controller.getState().result).toEqual({ status: 'practice', localScore: 0 });
    expect(submitted).toHaveLength(0);
  });

  it('a daily challenge asks the server for it, and never turns into a practice game', async () => {
    const { controller, deps } = setup();
    await controller.start('daily');
    expect(deps.startGame).toHaveBeenCalledWith('classic', 'daily');
    expect(controller.getState()).toMatchObject({ stage: 'playing', practice: false });

    const played = setup({ startGame: () => Promise.reject(new ApiError(409, 'Challenge already played')) });
    await played.controller.start('daily');
    expect(played.controller.getState()).toMatchObject({ stage: 'idle', practice: false, message: { key: 'msgChallengePlayed' } });
    expect(played.clock.pending).toBe(0);

    const offline = setup({ startGame: () => Promise.reject(new ApiError(0, 'network error')) });
    await offline.controller.start('daily');
    expect(offline.controller.getState()).toMatchObject({ stage: 'idle', message: { key: 'msgChallengeNotStarted' } });
  });

  it('memory: shows the sequence, then takes it back from the player', async () => {
    const { controller, clock } = setup();
    controller.selectMode('memory');
    expect(controller.getState().message.key).toBe('msgModeMemory');
    await controller.start();
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
    const { controller } = setup();
    controller.press(3);
    expect(controller.getState().snapshot).toBeNull();
    await controller.start();
    controller.selectMode('memory');
    expect(controller.getState().mode).toBe('classic');
  });

  it('shows the server verdict only for the last game', async () => {
    const { controller, clock } = setup();
    await controller.start();
    clock.tick(10);
    controller.restart();
    const server = { gameId: 'g1', mode: 'classic' as const, status: 'accepted' as const, score: 0, level: 1, lives: 3, maxCombo: 0, rounds: 0, endedAt: 10 };
    controller.showResult('other', { status: 'accepted', gameId: 'other', localScore: 0, server });
    expect(controller.getState().result?.status).toBe('sending');
    controller.showResult('g1', { status: 'accepted', gameId: 'g1', localScore: 0, server });
    expect(controller.getState().result?.status).toBe('accepted');
    await flush();
  });
});
