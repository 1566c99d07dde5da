import { useSyncExternalStore } from 'react';
import type { Store } from '../store';

/** useStore renders a component from a Store's state. */
export function useStore<T extends object>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
