import { describe, expect, it } from 'vitest';
import { CHALLENGE_EPOCH, challengeDay, challengeId, challengeNumber, msUntilNextChallenge, shareText, utcDay } from './challenge';

describe('daily challenge', () => {
  it('numbers the days since the epoch: #1 is 2026-12-01', () => {
    expect(CHALLENGE_EPOCH).toBe('2026-11-30');
    expect(challengeNumber('2026-12-01')).toBe(1);
    expect(challengeNumber('2026-12-02')).toBe(2);
    expect(challengeNumber('2027-01-11')).toBe(42);
    expect(challengeNumber('2028-03-01')).toBe(457); // across a leap day
  });

  it('changes day at UTC midnight, whatever the local time zone', () => {
    expect(utcDay(Date.parse('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
    expect(utcDay(Date.parse('2026-12-02T00:30:00+01:00'))).toBe('2026-12-01');
    expect(utcDay(Date.parse('2026-12-02T00:00:00Z'))).toBe('2026-12-02');
    expect(msUntilNextChallenge(Date.parse('2026-12-01T21:30:00Z'))).toBe(2.5 * 3_600_000);
    expect(msUntilNextChallenge(Date.parse('2026-12-02T00:00:00Z'))).toBe(24 * 3_600_000);
  });

  it('reads and writes the server ids of the daily challenge', () => {
    expect(challengeId('2026-12-01')).toBe('daily-2026-12-01');
    expect(challengeDay('daily-2026-12-01')).toBe('2026-12-01');
    for (const bad of ['', 'daily-', 'weekly-2026-W48', 'daily-2026-12-1', '2026-12-01', undefined, null]) expect(challengeDay(bad)).toBeNull();
  });

  it('shares the number, the mode and the score, and nothing of the game', () => {
    expect(shareText('2027-01-11', 'classic', 1542, 'es')).toBe('Lightpress #42 · clásico · 1,542');
    expect(shareText('2027-01-11', 'memory', 1542, 'en')).toBe('Lightpress #42 · memory · 1,542');
    expect(shareText('2026-12-01', 'memory', 87, 'es')).toBe('Lightpress #1 · memoria · 87');
  });
});
