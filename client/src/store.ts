// Store is the one way state outside React is observed by React
// (useSyncExternalStore(store.subscribe, store.getState)).

type Listener = () => void;

export class Store<T extends object> {
  private readonly listeners = new Set<Listener>();
  protected state: T;

  constructor(initial: T) {
    this.state = initial;
  }

  subscribe = (fn: Listener): (() => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };

  getState = (): T => this.state;

  /** set merges a patch into the state and tells every subscriber. */
  protected set(patch: Partial<T>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }
}
