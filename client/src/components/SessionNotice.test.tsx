// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type Player, type RecoveryInfo } from '../api';
import type { SessionState } from '../session';
import { flush } from '../test/fakeClock';
import { act, render, type Rendered } from '../test/render';
import { RecoveryPanel } from './RecoveryPanel';
import { SessionNotice } from './SessionNotice';

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
});

const ana: Player = { id: 'p1', nickname: 'Ana', createdAt: '2026-11-21T00:00:00Z' };
const q = (sel: string) => view!.container.querySelector<HTMLElement>(sel);

async function type(sel: string, value: string) {
  const input = q(sel) as HTMLInputElement;
  await act(async () => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await flush();
  });
}

async function click(sel: string) {
  await act(async () => {
    q(sel)?.click();
    await flush();
  });
}

async function submit(sel: string) {
  await act(async () => {
    q(sel)?.closest('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await flush();
  });
}

describe('SessionNotice', () => {
  const session = () => ({ startFresh: vi.fn(async () => null), recover: vi.fn(async () => ana) });

  it('says plainly that the session is over, and starts fresh only when asked', async () => {
    const s = session();
    const state: SessionState = { status: 'signedOut', player: ana, token: null };
    view = render(<SessionNotice state={state} session={s} />, 'en');
    expect(q('[data-testid="session-notice"]')?.textContent).toContain('This browser can no longer go on as Ana');
    expect(s.startFresh).not.toHaveBeenCalled();
    await click('[data-testid="start-fresh"]');
    expect(s.startFresh).toHaveBeenCalledOnce();
  });

  it('takes a recovery code, refusing what cannot be one before asking the server', async () => {
    const s = session();
    view = render(<SessionNotice state={{ status: 'signedOut', player: null, token: null }} session={s} />, 'es');
    await type('[data-testid="recovery-input"]', 'hola');
    await submit('[data-testid="recovery-input"]');
    expect(q('[data-testid="recovery-note"]')?.textContent).toContain('16 letras y números');
    expect(s.recover).not.toHaveBeenCalled();
    await type('[data-testid="recovery-input"]', '7kq2 m9xd 4htr b3wn');
    await submit('[data-testid="recovery-input"]');
    expect(s.recover).toHaveBeenCalledWith('7kq2 m9xd 4htr b3wn');
    expect(q('[data-testid="recovery-note"]')?.textContent).toBe('¡Hola de nuevo, Ana!');
  });

  it('says how long registering waits when it is limited, and nothing when all is well', () => {
    view = render(<SessionNotice state={{ status: 'limited', player: null, token: null, retryAt: 1000 + 4 * 60_000 }} session={session()} now={() => 1000} />, 'en');
    expect(q('[data-testid="session-limited"]')?.textContent).toContain('try again in 4 min');
    view.unmount();
    view = render(<SessionNotice state={{ status: 'ready', player: ana, token: 't' }} session={session()} />);
    expect(view.container.textContent).toBe('');
  });
});

describe('RecoveryPanel', () => {
  function recoverySession(stored: string | null = null) {
    let code = stored;
    let n = 0;
    return {
      storedRecoveryCode: vi.fn(() => code),
      newRecoveryCode: vi.fn(async () => (code = `CODE-${++n}AAA-BBBB-CCCC`)),
      recoveryInfo: vi.fn(async (): Promise<RecoveryInfo | null> => (code ? { createdAt: '2026-11-21T10:00:00Z', lastUsedAt: null } : null)),
      recover: vi.fn(async () => Promise.reject(new ApiError(401, 'x', { type: 't', title: 'x', status: 401, detail: 'No player has this recovery code.' }))),
    };
  }
  const ready: SessionState = { status: 'ready', player: ana, token: 't' };

  it('makes the code on demand, shows it, and replaces it only on a second press', async () => {
    const s = recoverySession();
    view = render(<RecoveryPanel state={ready} session={s} />, 'en');
    await act(flush);
    expect(q('[data-testid="recovery-code"]')).toBeNull();
    await click('[data-testid="recovery-show"]');
    expect(q('[data-testid="recovery-code"]')?.textContent).toBe('CODE-1AAA-BBBB-CCCC');
    await click('[data-testid="recovery-new"]');
    expect(s.newRecoveryCode).toHaveBeenCalledOnce();
    expect(view.container.textContent).toContain('The old code will stop working');
    await click('[data-testid="recovery-new"]');
    expect(q('[data-testid="recovery-code"]')?.textContent).toBe('CODE-2AAA-BBBB-CCCC');
  });

  it('says a code exists when this browser does not keep it, and shows why a code is refused', async () => {
    const s = recoverySession();
    s.recoveryInfo.mockResolvedValue({ createdAt: '2026-11-21T10:00:00Z', lastUsedAt: '2026-11-22T10:00:00Z' });
    view = render(<RecoveryPanel state={ready} session={s} />, 'en');
    await act(flush);
    expect(view.container.textContent).toContain('it is not kept in this browser');
    expect(view.container.textContent).toContain('Last used');
    await type('[data-testid="recovery-input"]', '7KQ2-M9XD-4HTR-B3WN');
    await submit('[data-testid="recovery-input"]');
    expect(q('[data-testid="recovery-note"]')?.textContent).toBe('No player has this recovery code.');
    expect(view.container.textContent).toContain('This browser will leave Ana');
  });
});
