import { ArgumentTypeError, describe, requireArray } from '../check/index.js';
import { type FastPolicy, isFastPolicy, isRecoveringPolicy, type Policy, type PolicyTask, type RecoveringPolicy, rejectInvalidCall, SLOW } from './policy.js';

/** Policies composed into one; `execute` runs them outermost (first argument) first. */
export class WrappedPolicy implements Policy {
  readonly policies: readonly Policy[];
  /** Every layer admits synchronously or takes over after a failure: calls can be fused. */
  private readonly fusable: boolean;
  /** Per layer: a RecoveringPolicy (takes over after a failure) rather than a FastPolicy. */
  private readonly recovering: readonly boolean[];

  constructor(policies: readonly Policy[]);
  /** @internal `where` names the caller in argument errors (`wrap()`). */
  constructor(policies: readonly Policy[], where: string);
  constructor(policies: readonly Policy[], where = 'new WrappedPolicy') {
    requireArray(policies, where, 'policies').forEach((p, i) => {
      if (p === null || typeof p !== 'object' || typeof (p as Policy).execute !== 'function') {
        throw new ArgumentTypeError(where, `policies[${i}]`, `must be a policy (an object with execute(fn, signal)), got ${describe(p)}`);
      }
    });
    this.policies = policies;
    this.recovering = policies.map(isRecoveringPolicy);
    this.fusable = policies.every((p) => isRecoveringPolicy(p) || isFastPolicy(p));
  }

  execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal, 'WrappedPolicy.execute');
    if (invalid) return invalid;
    if (this.fusable && !signal?.aborted) {
      const fused = this.fused(fn, signal);
      if (fused !== undefined) return fused;
    }
    return this.run(0, fn, signal);
  }

  /** Layer by layer: each policy's execute wraps the next. */
  private run<T>(i: number, fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T> {
    if (i === this.policies.length) {
      try {
        return Promise.resolve(fn(signal));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.policies[i].execute((s) => this.run(i + 1, fn, s), signal);
  }

  /**
   * All layers admit synchronously and `fn` runs under a single promise; the result is
   * reported to the layers innermost first. On failure a recovering layer (a retry) takes over
   * with the layer-by-layer path for its next attempts. Undefined when some layer needs its slow path.
   */
  private fused<T>(fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T> | undefined {
    const layers = this.policies;
    const recovering = this.recovering;
    const tokens: unknown[] = new Array(layers.length);
    for (let i = 0; i < layers.length; i++) {
      if (recovering[i]) continue;
      const token = (layers[i] as FastPolicy).fastEnter();
      if (token === SLOW) {
        for (let j = i - 1; j >= 0; j--) if (!recovering[j]) (layers[j] as FastPolicy).fastCancel(tokens[j]);
        return undefined;
      }
      tokens[i] = token;
    }
    let result: T | PromiseLike<T>;
    try {
      result = fn(signal);
    } catch (err) {
      return this.unwind(layers.length - 1, err, tokens, fn, signal);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.exitOk(layers.length - 1, tokens, signal);
        return value;
      },
      (err: unknown) => this.unwind(layers.length - 1, err, tokens, fn, signal),
    );
  }

  private exitOk(from: number, tokens: unknown[], signal: AbortSignal | undefined): void {
    for (let i = from; i >= 0; i--) if (!this.recovering[i]) (this.policies[i] as FastPolicy).fastExit(tokens[i], true, undefined, signal);
  }

  private unwind<T>(from: number, err: unknown, tokens: unknown[], fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T> {
    for (let i = from; i >= 0; i--) {
      const layer = this.policies[i];
      if (this.recovering[i]) {
        return (layer as RecoveringPolicy).continueAfter(err, (s) => this.run(i + 1, fn, s), signal).then(
          (value) => {
            this.exitOk(i - 1, tokens, signal);
            return value;
          },
          (e: unknown) => this.unwind(i - 1, e, tokens, fn, signal),
        );
      }
      (layer as FastPolicy).fastExit(tokens[i], false, err, signal);
    }
    return Promise.reject(err);
  }
}

/**
 * Composes policies, outermost first: `wrap(retry, breaker, bulkhead).execute(fn)` retries
 * calls that go through the breaker, which guards the bulkhead, which runs `fn`.
 */
export function wrap(...policies: Policy[]): WrappedPolicy {
  return new WrappedPolicy(policies, 'wrap');
}
