// SoundBoard plays the game's cues (game/cues.ts) with Web Audio: each button
// its own tone of a pentatonic scale (Simon-like), a low buzz for a miss, a
// rising arpeggio for a level, short ticks for the ready beat. Browsers let a
// page make sound only after a user gesture, so nothing is created (no
// AudioContext) before unlock(), which main.tsx calls on the first press,
// click or key. The mute choice is kept in localStorage.

import type { Cue } from './game/cues';
import { readString, writeString } from './storage';
import { Store } from './store';

export const MUTE_KEY = 'lightpress.muted';

/** The part of AudioContext the board uses (tests pass a fake). */
export interface AudioContextLike {
  readonly currentTime: number;
  readonly state: string;
  readonly destination: AudioNode;
  resume(): Promise<void>;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
}

/** Note is one tone: frequency (Hz), start after now and length (s), waveform and peak volume. */
export interface Note {
  freq: number;
  at: number;
  dur: number;
  wave: OscillatorType;
  gain: number;
}

/** BUTTON_TONES are the tones of buttons 0..10: C major pentatonic from C4, low to high like the board. */
export const BUTTON_TONES: readonly number[] = [261.63, 293.66, 329.63, 392.0, 440.0, 523.25, 587.33, 659.25, 783.99, 880.0, 1046.5];

const note = (freq: number, at: number, dur: number, wave: OscillatorType = 'sine', gain = 0.22): Note => ({ freq, at, dur, wave, gain });

/** notesFor is what a cue sounds like. */
export function notesFor(cue: Cue): Note[] {
  switch (cue.type) {
    case 'tone':
      return [note(BUTTON_TONES[cue.button] ?? 440, 0, 0.22, 'triangle', 0.3)];
    case 'miss':
      return [note(130.81, 0, 0.3, 'sawtooth', 0.12), note(98, 0.08, 0.3, 'sawtooth', 0.1)];
    case 'level':
      return [523.25, 659.25, 783.99, 1046.5].map((f, i) => note(f, 0.12 + i * 0.07, 0.12, 'square', 0.08));
    case 'tick':
      return [note(660, 0, 0.09, 'sine', 0.18)];
    case 'go':
      return [note(990, 0, 0.18, 'sine', 0.22)];
    case 'over':
      return [392, 329.63, 261.63].map((f, i) => note(f, i * 0.16, 0.2, 'triangle', 0.22));
  }
}

export class SoundBoard extends Store<{ muted: boolean }> {
  private readonly createContext: () => AudioContextLike | null;
  private ctx: AudioContextLike | null = null;
  private unlocked = false;

  constructor(createContext: () => AudioContextLike | null = browserAudioContext) {
    super({ muted: readString(MUTE_KEY) === '1' });
    this.createContext = createContext;
  }

  /** unlock is called on every user gesture: from the first one on, cues may sound. */
  unlock(): void {
    this.unlocked = true;
    if (!this.state.muted) this.wake();
  }

  setMuted(muted: boolean): void {
    writeString(MUTE_KEY, muted ? '1' : null);
    this.set({ muted });
  }

  toggle(): void {
    this.setMuted(!this.state.muted);
  }

  play(cue: Cue): void {
    if (this.state.muted || !this.unlocked) return;
    const ctx = this.wake();
    if (!ctx) return;
    const now = ctx.currentTime;
    for (const n of notesFor(cue)) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = n.wave;
      osc.frequency.value = n.freq;
      // A short attack and an exponential release: no clicks.
      const start = now + n.at;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(n.gain, start + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + n.dur);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + n.dur + 0.02);
    }
  }

  /** wake creates the AudioContext (only ever after a gesture) and resumes it if the browser suspended it. */
  private wake(): AudioContextLike | null {
    this.ctx ??= this.createContext();
    if (this.ctx && this.ctx.state === 'suspended') void this.ctx.resume().catch(() => {});
    return this.ctx;
  }
}

function browserAudioContext(): AudioContextLike | null {
  const Ctor = typeof window === 'undefined' ? undefined : window.AudioContext;
  if (!Ctor) return null;
  try {
    return new Ctor();
  } catch {
    return null;
  }
}
