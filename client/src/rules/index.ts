// The Lightpress game rules (rules version 1): pure functions and state, no
// React, no timers. See /shared/GAME_RULES.md.
export { BUTTONS, Rng } from './rng';
export * from './engine';
export * from './replay';

export const RULES_VERSION = 1;
