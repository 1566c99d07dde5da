// Which sounds a change of the game calls for. Pure: the controller passes
// each change through here and hands the cues to whoever plays them (the
// SoundBoard), so what is heard is decided in one place and tested.

import type { GameEvent, Snapshot } from '../rules';

export type Cue =
  /** a button's own tone (Simon-like): a correct press, or a step of a memory playback */
  | { type: 'tone'; button: number }
  /** a wrong press or a timeout */
  | { type: 'miss' }
  /** the level went up */
  | { type: 'level' }
  /** a beat of the countdown before the clock starts, and its last one */
  | { type: 'tick' }
  | { type: 'go' }
  /** the lives ran out */
  | { type: 'over' };

/**
 * cuesFor lists the cues of one change from `prev` to `next` with its events;
 * `pressed` is the button whose press caused it (null for a change by time).
 */
export function cuesFor(prev: Snapshot | null, next: Snapshot, events: GameEvent[], pressed: number | null): Cue[] {
  const cues: Cue[] = [];
  let lost = false;
  for (const e of events) {
    switch (e.type) {
      case 'hit':
      case 'step':
      case 'complete':
        if (pressed !== null) cues.push({ type: 'tone', button: pressed });
        break;
      case 'miss':
      case 'timeout':
        lost = true;
        break;
      case 'over':
        if (e.cause !== 'quit') cues.push({ type: 'over' });
        return cues; // the game-over sound says the last miss too
      default:
        break;
    }
  }
  if (lost) cues.push({ type: 'miss' });
  if (prev && next.level > prev.level) cues.push({ type: 'level' });
  // A memory playback lighting its next button.
  if (next.phase === 'showing' && next.lit !== null && (prev?.lit !== next.lit || prev.shownStep !== next.shownStep)) {
    cues.push({ type: 'tone', button: next.lit });
  }
  return cues;
}
