// Which status message the player sees after what happened (the texts of
// ORIGINAL_GAME.md, keyed in i18n.ts).

import type { MessageKey, Params } from '../i18n';
import type { GameEvent, Mode } from '../rules';

export interface Message {
  key: MessageKey;
  params?: Params;
}

/** messageForEvent is the message an event calls for, or null when it leaves the current one. */
export function messageForEvent(mode: Mode, e: GameEvent): Message | null {
  switch (e.type) {
    case 'hit':
      return { key: 'msgClassicHit', params: { points: e.points } };
    case 'miss':
      return { key: mode === 'classic' ? 'msgClassicMiss' : 'msgMemoryMiss' };
    case 'timeout':
      return { key: 'msgClassicTimeout' };
    case 'round':
      return null; // a new round keeps the verdict on the last one on screen
    case 'show':
      return { key: 'msgMemoryWatch' };
    case 'unlock':
      return { key: 'msgMemoryInput' };
    case 'step':
      return { key: 'msgMemoryStep', params: { k: e.step + 1, n: e.length } };
    case 'complete':
      return { key: 'msgMemoryComplete', params: { points: e.points, level: e.level } };
    case 'over':
      if (e.cause === 'quit') return { key: 'msgQuit' };
      if (mode === 'memory') return { key: 'msgMemoryOver' };
      return { key: e.cause === 'timeout' ? 'msgOverTimeout' : 'msgOverMiss' };
  }
}

/** messageAfter folds a batch of events into the message to show. */
export function messageAfter(mode: Mode, events: GameEvent[], current: Message): Message {
  let m = current;
  for (const e of events) m = messageForEvent(mode, e) ?? m;
  return m;
}

export function startMessage(mode: Mode): Message {
  return { key: mode === 'classic' ? 'msgClassicRound' : 'msgMemoryWatch' };
}
