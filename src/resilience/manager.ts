import { ArgumentRangeError, ArgumentTypeError, requireObject, requireOptions, requireString } from '../check/index.js';
import { ADAPTIVE_TIMEOUT_OPTIONS, AdaptiveTimeout, type AdaptiveTimeoutOptions, type AdaptiveTimeoutStats } from './adaptiveTimeout.js';
import { type BreakerStats, CircuitBreaker } from './breaker.js';
import { BREAKER_OPTIONS, type BreakerEvent, type CircuitBreakerOptions } from './breakerOptions.js';
import { Bulkhead, BULKHEAD_OPTIONS, type BulkheadEvent, type BulkheadOptions, type BulkheadStats } from './bulkhead.js';
import type { Clock } from './clock.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { KEYED_RATE_LIMITER_OPTIONS, KeyedRateLimiter, type KeyedRateLimiterOptions, type KeyedRateLimiterStats } from './keyedRateLimiter.js';
import { RateLimiter, type RateLimiterStats } from './rateLimiter.js';
import { RETRY_OPTIONS, RetryPolicy, type RetryEvent, type RetryOptions, type RetryStats } from './retry.js';
import { type TimeoutEvent, TIMEOUT_OPTIONS, TimeoutPolicy, type TimeoutOptions, type TimeoutStats } from './timeout.js';
import { RATE_LIMITER_OPTIONS, type RateLimiterEvent, type RateLimiterOptions } from './tokenBucketLimiter.js';
import { functionOption } from './options.js';

type Managed = CircuitBreaker | RateLimiter | KeyedRateLimiter | Bulkhead | RetryPolicy | TimeoutPolicy | AdaptiveTimeout;

/** Every policy's `stats()`, grouped by kind and keyed by the name it is registered under. */
export interface ResilienceStats {
  breakers: Record<string, BreakerStats>;
  rateLimiters: Record<string, RateLimiterStats | KeyedRateLimiterStats>;
  bulkheads: Record<string, BulkheadStats>;
  retries: Record<string, RetryStats>;
  timeouts: Record<string, TimeoutStats | AdaptiveTimeoutStats>;
}

/** The factory a policy was made by, which also picks its group in `stats()`. */
type Kind = 'breaker' | 'rateLimiter' | 'keyedRateLimiter' | 'bulkhead' | 'retry' | 'timeout' | 'adaptiveTimeout';

const GROUP: Record<Kind, keyof ResilienceStats> = {
  breaker: 'breakers',
  rateLimiter: 'rateLimiters',
  keyedRateLimiter: 'rateLimiters',
  bulkhead: 'bulkheads',
  retry: 'retries',
  timeout: 'timeouts',
  adaptiveTimeout: 'timeouts',
};

const WHERE: Record<Kind, string> = {
  breaker: 'ResilienceManager.breaker',
  rateLimiter: 'ResilienceManager.rateLimiter',
  keyedRateLimiter: 'ResilienceManager.keyedRateLimiter',
  bulkhead: 'ResilienceManager.bulkhead',
  retry: 'ResilienceManager.retry',
  timeout: 'ResilienceManager.timeout',
  adaptiveTimeout: 'ResilienceManager.adaptiveTimeout',
};

const withoutName = (keys: readonly string[]): readonly string[] => keys.filter((k) => k !== 'name');

/** The options each factory takes: the policy's own, less `name` (the registry's name is the policy's). */
const OPTIONS: Record<Kind, readonly string[]> = {
  breaker: /* @__PURE__ */ withoutName(BREAKER_OPTIONS),
  rateLimiter: /* @__PURE__ */ withoutName(RATE_LIMITER_OPTIONS),
  keyedRateLimiter: /* @__PURE__ */ withoutName(KEYED_RATE_LIMITER_OPTIONS),
  bulkhead: /* @__PURE__ */ withoutName(BULKHEAD_OPTIONS),
  retry: RETRY_OPTIONS,
  timeout: TIMEOUT_OPTIONS,
  adaptiveTimeout: ADAPTIVE_TIMEOUT_OPTIONS,
};

interface Entry {
  kind: Kind;
  policy: Managed;
}

/** Any policy's event, tagged with the name it is registered under. */
export type ResilienceEvent = { name: string; event: BreakerEvent | RetryEvent | BulkheadEvent | RateLimiterEvent | TimeoutEvent };

export interface ManagerOptions {
  /** Clock given to every policy created here that does not bring its own. */
  clock?: Clock;
}

/**
 * A named registry of policies: one place to create them (get-or-create by name) and read their
 * `stats()` as JSON; `resilienceMetrics(manager)` in `metrics/` exports them to Prometheus.
 */
export class ResilienceManager {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock | undefined;
  private readonly emitter = new Emitter<ResilienceEvent>();
  /** Policies are subscribed only once someone listens here, so unobserved ones stay lean. */
  private forwarding = false;

  constructor(options: ManagerOptions = {}) {
    requireOptions(options, 'new ResilienceManager', 'options', ['clock']);
    this.clock = functionOption<Clock>(options.clock, 'new ResilienceManager', 'options.clock');
  }

  /** The breaker called `name`, created with `options` on first use (latency tracked by default). */
  breaker(name: string, options: Omit<CircuitBreakerOptions, 'name'> = {}): CircuitBreaker {
    return this.getOrCreate(name, 'breaker', options, () => new CircuitBreaker({ trackLatency: true, clock: this.clock, ...options, name }));
  }

  rateLimiter(name: string, options: Omit<RateLimiterOptions, 'name'>): RateLimiter {
    return this.getOrCreate(name, 'rateLimiter', options, () => new RateLimiter({ clock: this.clock, ...options, name }));
  }

  keyedRateLimiter(name: string, options: Omit<KeyedRateLimiterOptions, 'name'>): KeyedRateLimiter {
    return this.getOrCreate(name, 'keyedRateLimiter', options, () => new KeyedRateLimiter({ clock: this.clock, ...options, name }));
  }

  bulkhead(name: string, options: Omit<BulkheadOptions, 'name'>): Bulkhead {
    return this.getOrCreate(name, 'bulkhead', options, () => new Bulkhead({ ...options, name }));
  }

  retry(name: string, options: RetryOptions = {}): RetryPolicy {
    return this.getOrCreate(name, 'retry', options, () => new RetryPolicy(options));
  }

  timeout(name: string, ms: number, options: TimeoutOptions = {}): TimeoutPolicy {
    return this.getOrCreate(name, 'timeout', options, () => new TimeoutPolicy(ms, { clock: this.clock, ...options }));
  }

  adaptiveTimeout(name: string, options: AdaptiveTimeoutOptions): AdaptiveTimeout {
    return this.getOrCreate(name, 'adaptiveTimeout', options, () => new AdaptiveTimeout({ clock: this.clock, ...options }));
  }

  /** Subscribes to the events of every policy registered here (now or later). */
  onEvent(listener: Listener<ResilienceEvent>): Unsubscribe {
    const off = this.emitter.on(listener, 'ResilienceManager.onEvent');
    if (!this.forwarding) {
      this.forwarding = true;
      for (const [name, { policy }] of this.entries) this.forward(name, policy);
    }
    return off;
  }

  private forward(name: string, policy: Managed): void {
    if (!('onEvent' in policy)) return; // an adaptive timeout emits nothing of its own
    const subscribe = policy.onEvent.bind(policy) as (listener: (event: ResilienceEvent['event']) => void) => Unsubscribe;
    subscribe((event) => {
      if (this.emitter.active) this.emitter.emit({ name, event });
    });
  }

  get(name: string): Managed | undefined {
    return this.entries.get(name)?.policy;
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  /** Each policy's own `stats()`, read now. */
  stats(): ResilienceStats {
    const out: ResilienceStats = { breakers: {}, rateLimiters: {}, bulkheads: {}, retries: {}, timeouts: {} };
    for (const [name, { kind, policy }] of this.entries) (out[GROUP[kind]] as Record<string, object>)[name] = policy.stats();
    return out;
  }

  /**
   * The policy registered as `name`, or the one `create` makes from `options` (spread into the
   * policy's own, so they must be an object of its option names). The factory method `kind` names the caller.
   */
  private getOrCreate<P extends Managed>(name: string, kind: Kind, options: unknown, create: () => P): P {
    const where = WHERE[kind];
    if (requireString(name, where, 'name') === '') throw new ArgumentRangeError(where, 'name', "must be a non-empty string, got ''");
    requireOptions(requireObject(options, where, 'options'), where, 'options', OPTIONS[kind]);
    const existing = this.entries.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) throw new ArgumentTypeError(where, 'name', `'${name}' is already registered to a ${existing.kind}`);
      return existing.policy as P;
    }
    const created = create();
    this.entries.set(name, { kind, policy: created });
    if (this.forwarding) this.forward(name, created);
    return created;
  }
}
