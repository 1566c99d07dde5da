// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BUTTON_TONES, MUTE_KEY, SoundBoard, notesFor, type AudioContextLike } from './sound';

/** fakeContext records the oscillators a SoundBoard starts. */
function fakeContext() {
  const started: { type: string; freq: number }[] = [];
  const param = () => ({ value: 0, setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() });
  const ctx = {
    currentTime: 0,
    state: 'suspended',
    destination: {} as AudioNode,
    resume: vi.fn(async () => {
      ctx.state = 'running';
    }),
    createOscillator: () => {
      const osc = {
        type: 'sine',
        frequency: param(),
        connect: (n: unknown) => n,
        start: () => started.push({ type: osc.type, freq: osc.frequency.value }),
        stop: vi.fn(),
      };
      return osc as unknown as OscillatorNode;
    },
    createGain: () => ({ gain: param(), connect: (n: unknown) => n }) as unknown as GainNode,
  };
  return { ctx: ctx as AudioContextLike & { state: string }, started };
}

beforeEach(() => localStorage.clear());

describe('SoundBoard', () => {
  it('stays silent, and creates no AudioContext, until the first user gesture', () => {
    const { ctx, started } = fakeContext();
    const create = vi.fn(() => ctx);
    const s = new SoundBoard(create);
    s.play({ type: 'tone', button: 3 });
    expect(create).not.toHaveBeenCalled();
    s.unlock();
    expect(create).toHaveBeenCalledTimes(1);
    expect(ctx.resume).toHaveBeenCalled();
    s.play({ type: 'tone', button: 3 });
    expect(started).toEqual([{ type: 'triangle', freq: BUTTON_TONES[3] }]);
  });

  it('mute silences it and is remembered across page loads', () => {
    const { ctx, started } = fakeContext();
    const s = new SoundBoard(() => ctx);
    s.unlock();
    s.toggle();
    expect(s.getState().muted).toBe(true);
    expect(localStorage.getItem(MUTE_KEY)).toBe('1');
    s.play({ type: 'miss' });
    expect(started).toEqual([]);
    const again = new SoundBoard(() => ctx);
    expect(again.getState().muted).toBe(true);
    again.unlock();
    again.play({ type: 'go' });
    expect(started).toEqual([]);
    again.toggle();
    expect(localStorage.getItem(MUTE_KEY)).toBeNull();
    again.play({ type: 'go' });
    expect(started).toHaveLength(1);
  });

  it('muted from the start, a gesture creates no AudioContext', () => {
    localStorage.setItem(MUTE_KEY, '1');
    const create = vi.fn(() => fakeContext().ctx);
    new SoundBoard(create).unlock();
    expect(create).not.toHaveBeenCalled();
  });

  it('without Web Audio it does nothing, and does not throw', () => {
    const s = new SoundBoard(() => null);
    s.unlock();
    expect(() => s.play({ type: 'level' })).not.toThrow();
  });
});

describe('notesFor', () => {
  it('gives each button its own tone, rising with the button, and distinct cues for a miss, a level and the beat', () => {
    const tones = BUTTON_TONES.map((_, b) => notesFor({ type: 'tone', button: b })[0]!.freq);
    expect(new Set(tones).size).toBe(11);
    expect([...tones].sort((a, b) => a - b)).toEqual(tones);
    expect(notesFor({ type: 'miss' })[0]!.freq).toBeLessThan(tones[0]!);
    expect(notesFor({ type: 'level' }).map((n) => n.at)).toEqual([...notesFor({ type: 'level' }).map((n) => n.at)].sort((a, b) => a - b));
    expect(notesFor({ type: 'level' }).length).toBeGreaterThan(1);
    expect(notesFor({ type: 'go' })[0]!.freq).toBeGreaterThan(notesFor({ type: 'tick' })[0]!.freq);
  });
});
