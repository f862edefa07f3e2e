import { requireFunction } from '../check/index.js';

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

  /** Adds `listener`; `where` is the public method that was called, for the argument error. */
  on(listener: Listener<E>, where: string): Unsubscribe {
    requireFunction(listener, where, 'listener');
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
