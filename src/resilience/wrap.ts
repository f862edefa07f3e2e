import type { Policy, Task } from './policy.js';

/** Policies composed into one; `execute` runs them outermost (first argument) first. */
export class WrappedPolicy implements Policy {
  readonly policies: readonly Policy[];

  constructor(policies: readonly Policy[]) {
    policies.forEach((p, i) => {
      if (p === null || typeof p !== 'object' || typeof p.execute !== 'function') throw new TypeError(`policies[${i}] must have an execute(fn, signal) method`);
    });
    this.policies = policies;
  }

  execute<T>(fn: Task<T>, signal?: AbortSignal): Promise<T> {
    return this.run(0, fn, signal);
  }

  private run<T>(i: number, fn: Task<T>, signal: AbortSignal | undefined): Promise<T> {
    if (i === this.policies.length) {
      try {
        return Promise.resolve(fn(signal));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.policies[i].execute((s) => this.run(i + 1, fn, s), signal);
  }
}

/**
 * Composes policies, outermost first: `wrap(retry, breaker, bulkhead).execute(fn)` retries
 * calls that go through the breaker, which guards the bulkhead, which runs `fn`.
 */
export function wrap(...policies: Policy[]): WrappedPolicy {
  return new WrappedPolicy(policies);
}
