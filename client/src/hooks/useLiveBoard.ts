import { useEffect, useRef, useState } from 'react';
import type { Period } from '../api';
import { liveBoards, type BoardChange, type LiveBoards, type LiveStatus } from '../live';
import type { Mode } from '../rules';

/** POLL_MS is how often the board is read while the live socket is not open. */
export const POLL_MS = 15_000;

/**
 * useLiveBoard follows the board on screen: onChange gets each pushed top
 * 10, reload is called once subscribed (to catch what came before) and,
 * while the socket is not live, every POLL_MS (the polling fallback).
 */
export function useLiveBoard(
  mode: Mode,
  period: Period,
  onChange: (c: BoardChange) => void,
  reload: () => void,
  live: LiveBoards = liveBoards(),
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onChange, reload });
  handlers.current = { onChange, reload };

  useEffect(
    () =>
      live.follow({
        mode,
        period,
        onChange: (c) => handlers.current.onChange(c),
        onSubscribed: () => handlers.current.reload(),
        onStatus: setStatus,
      }),
    [live, mode, period],
  );

  useEffect(() => {
    if (status === 'live') return;
    const t = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') handlers.current.reload();
    }, POLL_MS);
    return () => window.clearInterval(t);
  }, [status]);

  return status;
}
