import type { Registry } from 'prom-client';
import { AdaptiveTimeout, type AdaptiveTimeoutOptions } from './adaptiveTimeout.js';
import { CircuitBreaker } from './breaker.js';
import type { BreakerEvent, CircuitBreakerOptions, CircuitState } from './breakerOptions.js';
import { Bulkhead, type BulkheadEvent, type BulkheadOptions } from './bulkhead.js';
import type { Clock } from './clock.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { registerMetrics } from './metrics.js';
import { RateLimiter } from './rateLimiter.js';
import type { RateLimiterEvent, RateLimiterOptions } from './tokenBucketLimiter.js';
import { KeyedRateLimiter, type KeyedRateLimiterOptions } from './keyedRateLimiter.js';
import { RetryPolicy, type RetryEvent, type RetryOptions } from './retry.js';
import { type TimeoutEvent, TimeoutPolicy, type TimeoutOptions } from './timeout.js';
import { functionOption, objectOption } from './validate.js';

type Managed = CircuitBreaker | RateLimiter | KeyedRateLimiter | Bulkhead | RetryPolicy | TimeoutPolicy | AdaptiveTimeout;

export interface LatencyStats {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface BreakerStats {
  state: CircuitState;
  successes: number;
  failures: number;
  rejections: number;
  latency?: LatencyStats;
}

export interface ResilienceStats {
  breakers: Record<string, BreakerStats>;
  rateLimiters: Record<string, { acquired: number; rejections: number; tokens?: number; keys?: number; evictions?: number }>;
  bulkheads: Record<string, { active: number; queued: number; executed: number; rejections: number }>;
  retries: Record<string, { retries: number }>;
  timeouts: Record<string, { timeouts?: number; timeoutMs: number }>;
}

/** Any policy's event, tagged with the name it is registered under. */
export type ResilienceEvent = { name: string; event: BreakerEvent | RetryEvent | BulkheadEvent | RateLimiterEvent | TimeoutEvent };

export interface ManagerOptions {
  /** Clock given to every policy created here that does not bring its own. */
  clock?: Clock;
}

/**
 * A named registry of policies: one place to create them (get-or-create by name), read their
 * `stats()` as JSON and export them to Prometheus with `metrics()`.
 */
export class ResilienceManager {
  private readonly policies = new Map<string, Managed>();
  private readonly clock: Clock | undefined;
  private readonly registries = new WeakSet<Registry>();
  private readonly emitter = new Emitter<ResilienceEvent>();
  /** Policies are subscribed only once someone listens here, so unobserved ones stay lean. */
  private forwarding = false;

  constructor(options: ManagerOptions = {}) {
    this.clock = functionOption<Clock>(objectOption(options).clock, 'clock');
  }

  /** The breaker called `name`, created with `options` on first use (latency tracked by default). */
  breaker(name: string, options: Omit<CircuitBreakerOptions, 'name'> = {}): CircuitBreaker {
    return this.getOrCreate(name, CircuitBreaker, () => new CircuitBreaker({ trackLatency: true, clock: this.clock, ...options, name }));
  }

  rateLimiter(name: string, options: Omit<RateLimiterOptions, 'name'>): RateLimiter {
    return this.getOrCreate(name, RateLimiter, () => new RateLimiter({ clock: this.clock, ...options, name }));
  }

  keyedRateLimiter(name: string, options: Omit<KeyedRateLimiterOptions, 'name'>): KeyedRateLimiter {
    return this.getOrCreate(name, KeyedRateLimiter, () => new KeyedRateLimiter({ clock: this.clock, ...options, name }));
  }

  bulkhead(name: string, options: Omit<BulkheadOptions, 'name'>): Bulkhead {
    return this.getOrCreate(name, Bulkhead, () => new Bulkhead({ ...options, name }));
  }

  retry(name: string, options: RetryOptions = {}): RetryPolicy {
    return this.getOrCreate(name, RetryPolicy, () => new RetryPolicy(options));
  }

  timeout(name: string, ms: number, options: TimeoutOptions = {}): TimeoutPolicy {
    return this.getOrCreate(name, TimeoutPolicy, () => new TimeoutPolicy(ms, { clock: this.clock, ...options }));
  }

  adaptiveTimeout(name: string, options: AdaptiveTimeoutOptions): AdaptiveTimeout {
    return this.getOrCreate(name, AdaptiveTimeout, () => new AdaptiveTimeout({ clock: this.clock, ...options }));
  }

  /** Subscribes to the events of every policy registered here (now or later). */
  onEvent(listener: Listener<ResilienceEvent>): Unsubscribe {
    const off = this.emitter.on(listener);
    if (!this.forwarding) {
      this.forwarding = true;
      for (const [name, policy] of this.policies) this.forward(name, policy);
    }
    return off;
  }

  private forward(name: string, policy: Managed): void {
    if (policy instanceof AdaptiveTimeout) return; // emits nothing of its own
    const subscribe = policy.onEvent.bind(policy) as (listener: (event: ResilienceEvent['event']) => void) => Unsubscribe;
    subscribe((event) => {
      if (this.emitter.active) this.emitter.emit({ name, event });
    });
  }

  get(name: string): Managed | undefined {
    return this.policies.get(name);
  }

  get names(): string[] {
    return [...this.policies.keys()];
  }

  stats(): ResilienceStats {
    const out: ResilienceStats = { breakers: {}, rateLimiters: {}, bulkheads: {}, retries: {}, timeouts: {} };
    for (const [name, p] of this.policies) {
      if (p instanceof CircuitBreaker) {
        const s: BreakerStats = { state: p.state, successes: p.successes, failures: p.failures, rejections: p.rejections };
        const l = p.latency;
        if (l && l.count > 0) {
          s.latency = { count: l.count, meanMs: l.sum / l.count, p50Ms: l.quantile(0.5), p90Ms: l.quantile(0.9), p99Ms: l.quantile(0.99), maxMs: l.max };
        }
        out.breakers[name] = s;
      } else if (p instanceof RateLimiter) {
        out.rateLimiters[name] = { acquired: p.acquired, rejections: p.rejections, tokens: p.tokens };
      } else if (p instanceof KeyedRateLimiter) {
        out.rateLimiters[name] = { acquired: p.acquired, rejections: p.rejections, keys: p.size, evictions: p.evictions };
      } else if (p instanceof Bulkhead) {
        out.bulkheads[name] = { active: p.active, queued: p.queued, executed: p.executed, rejections: p.rejections };
      } else if (p instanceof RetryPolicy) {
        out.retries[name] = { retries: p.retries };
      } else if (p instanceof TimeoutPolicy) {
        out.timeouts[name] = { timeouts: p.timeouts, timeoutMs: p.ms };
      } else {
        out.timeouts[name] = { timeoutMs: p.timeoutMs };
      }
    }
    return out;
  }

  /**
   * Registers this manager's Prometheus metrics (prom-client, loaded on first call so browser
   * bundles never need it) in `registry`, or in a new Registry, and returns the registry.
   * Values are read from the policies at scrape time: no timers, nothing to update.
   */
  async metrics(registry?: Registry): Promise<Registry> {
    const prom = await import('prom-client');
    const target = registry ?? new prom.Registry();
    if (!this.registries.has(target)) {
      registerMetrics(prom, target, this);
      this.registries.add(target);
    }
    return target;
  }

  /** Every registered policy, for metrics collection. */
  entries(): IterableIterator<[string, Managed]> {
    return this.policies.entries();
  }

  private getOrCreate<P extends Managed>(name: string, kind: abstract new (...args: never[]) => P, create: () => P): P {
    if (typeof name !== 'string' || name === '') throw new TypeError('name must be a non-empty string');
    const existing = this.policies.get(name);
    if (existing !== undefined) {
      if (!(existing instanceof kind)) {
        throw new TypeError(`policy ${name} is already registered as a ${existing.constructor.name}`);
      }
      return existing;
    }
    const created = create();
    this.policies.set(name, created);
    if (this.forwarding) this.forward(name, created);
    return created;
  }
}
