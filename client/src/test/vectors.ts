// The game vectors the tests replay, read in place, never copied: the shared
// vectors in /shared beside the repository (client/../../shared), and the
// rule edges in microservices/games/replay/testdata, which the Go replay
// tests read too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Mode, Press, ReplayResult } from '../rules';

export interface RngCase {
  seed: number;
  next: number[];
  buttons: number[];
  buttonsExcluding3: number[];
}

export interface ReplayCase {
  name: string;
  /** The rule an edge vector pins (edge vectors only). */
  rule?: string;
  mode: Mode;
  seed: number;
  presses: Press[];
  endedAt: number;
  expected: Omit<ReplayResult, 'reason'>;
}

function read<T>(relative: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8')) as T;
}

export const sharedVectors = read<{ rulesVersion: number; rng: RngCase[]; replays: ReplayCase[] }>('../../../../shared/game-vectors.json');

export const edgeVectors = read<{ rulesVersion: number; replays: ReplayCase[] }>('../../../microservices/games/replay/testdata/edge-vectors.json');

/** withoutReason drops the client-only `reason` so results compare to the vectors. */
export function withoutReason(r: ReplayResult): Omit<ReplayResult, 'reason'> {
  const { reason: _reason, ...rest } = r;
  return rest;
}
