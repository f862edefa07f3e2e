import { RollingWindow, type WindowShape } from './rollingWindow.js';

/**
 * Base of the deciders whose per-breaker state is a `RollingWindow` of `shape`: creating,
 * forgetting, saving and loading that state are the window's own, whatever the test run on it.
 */
export abstract class WindowedDecider {
  readonly usesClock = true;
  abstract readonly shape: WindowShape;

  createState(): RollingWindow {
    return new RollingWindow(this.shape);
  }

  reset(w: RollingWindow): void {
    w.clear();
  }

  snapshot(w: RollingWindow): unknown {
    return w.snapshot();
  }

  load(w: RollingWindow, snapshot: unknown, where: string, argument: string): void {
    w.load(snapshot, where, argument);
  }
}
