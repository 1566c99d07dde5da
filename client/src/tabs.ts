// The tabs of this browser share one player through localStorage; a change
// one tab makes reaches the others as a storage event (never the tab that
// made it).

/** watchStorage calls fn when another tab changes key (or clears storage); it returns the unsubscribe. */
export function watchStorage(key: string, fn: (value: string | null) => void): () => void {
  if (typeof window === 'undefined') return () => {};
  const onStorage = (e: StorageEvent) => {
    if (e.key === key || e.key === null) fn(e.key === null ? null : e.newValue);
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}
