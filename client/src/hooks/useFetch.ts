import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api';

export type FetchState<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: ApiError };

/**
 * useFetch loads data when `key` changes (and on reload()), dropping answers
 * that arrive after the key moved on. Errors are values, never thrown into React.
 */
export function useFetch<T>(key: string, load: (signal: AbortSignal) => Promise<T>): FetchState<T> & { reload: () => void } {
  const [state, setState] = useState<FetchState<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    setState({ status: 'loading' });
    load(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ status: 'ok', data });
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setState({ status: 'error', error: err instanceof ApiError ? err : new ApiError(0, String(err)) });
      },
    );
    return () => ctrl.abort();
    // `load` is recreated each render; `key` says when it means something else.
  }, [key, round]);

  return { ...state, reload };
}
