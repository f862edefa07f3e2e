/** Removes a listener added with `onEvent`. */
export type Unsubscribe = () => void;

export type Listener<E> = (event: E) => void;

/**
 * Plain synchronous fan-out. A throwing listener must not break the policy that emits, so
 * its error is rethrown from a microtask (an uncaught error there) instead of propagating into
 * the call path.
 */
export class Emitter<E> {
  private listeners: Listener<E>[] = [];

  get active(): boolean {
    return this.listeners.length > 0;
  }

  on(listener: Listener<E>): Unsubscribe {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: E): void {
    const list = this.listeners;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i](event);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
