// Resilience policies: one per file, each with `execute(fn, signal)`, composed by `wrap`.
// `deciders/` holds what opens a breaker, `backoff/` the delays between attempts.
export { AdaptiveTimeout, type AdaptiveTimeoutOptions, type AdaptiveTimeoutStats } from './adaptiveTimeout.js';
export { type BackoffFn, type BackoffOption, type ExponentialBackoffOptions } from './backoff/index.js';
export { type BreakerStats, CircuitBreaker, type CircuitBreakerJSON } from './breaker.js';
export {
  type BreakerEvent,
  type CircuitBreakerOptions,
  type CircuitState,
  DEFAULT_BREAKER_DECIDER,
  DEFAULT_BREAKER_OPEN_MS,
} from './breakerOptions.js';
export { Bulkhead, type BulkheadEvent, type BulkheadOptions, type BulkheadStats } from './bulkhead.js';
export { type Clock } from './clock.js';
export { COARSE_CLOCK_TICK_MS, coarseClock } from './coarseClock.js';
export {
  type ConsecutiveDeciderOptions,
  type DeciderOptions,
  type StatisticalDeciderOptions,
  type WindowDeciderOptions,
} from './deciders/index.js';
export { BrokenCircuitError, BulkheadRejectedError, IsolatedCircuitError, RateLimitedError, TimeoutError } from './errors.js';
export { Emitter, type Listener, type Unsubscribe } from './events.js';
export { fallback, type FallbackEvent, type FallbackOptions, FallbackPolicy, type FallbackStats } from './fallback.js';
export { KeyedRateLimiter, type KeyedRateLimiterOptions, type KeyedRateLimiterStats } from './keyedRateLimiter.js';
export { type ManagerOptions, type ResilienceEvent, ResilienceManager, type ResilienceStats } from './manager.js';
export { phiAccrual, PhiAccrualDetector, type PhiAccrualOptions } from './phiAccrual.js';
export { type Policy, type PolicyTask, type StatsSource, type TimedTask } from './policy.js';
export { RateLimiter, type RateLimiterStats } from './rateLimiter.js';
export { isNeverRetried, retry, sleep, type RetryEvent, type RetryOptions, RetryPolicy, type RetryStats } from './retry.js';
export { type LatencyStats, QuantileSketch, SlidingQuantiles } from './sketch.js';
export { timeout, type TimeoutEvent, type TimeoutMode, type TimeoutOptions, TimeoutPolicy, type TimeoutStats } from './timeout.js';
export { type AcquireOptions, type RateLimiterEvent, type RateLimiterOptions } from './tokenBucketLimiter.js';
export { wrap, WrappedPolicy } from './wrap.js';
