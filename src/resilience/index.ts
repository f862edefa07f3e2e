// Resilience policies: one per file, each with `execute(fn, signal)`, composed by `wrap`.
export { AdaptiveTimeout, type AdaptiveTimeoutOptions } from './adaptiveTimeout.js';
export { type BackoffFn, type BackoffOption, type ExponentialBackoffOptions } from './backoff.js';
export { binomialUpperTail } from './binomial.js';
export {
  type BreakerEvent,
  CircuitBreaker,
  type CircuitBreakerJSON,
  type CircuitBreakerOptions,
  type CircuitState,
  DEFAULT_BREAKER_DECIDER,
  DEFAULT_BREAKER_OPEN_MS,
  type DeciderOptions,
} from './breaker.js';
export { Bulkhead, type BulkheadEvent, type BulkheadOptions } from './bulkhead.js';
export { type Clock } from './clock.js';
export { COARSE_CLOCK_TICK_MS, coarseClock } from './coarseClock.js';
export { type ConsecutiveDeciderOptions } from './consecutiveDecider.js';
export { BrokenCircuitError, BulkheadRejectedError, IsolatedCircuitError, RateLimitedError, TimeoutError } from './errors.js';
export { type Listener, type Unsubscribe } from './events.js';
export { fallback, type FallbackEvent, type FallbackOptions, FallbackPolicy } from './fallback.js';
export {
  type BreakerStats,
  type LatencyStats,
  type ManagerOptions,
  type ResilienceEvent,
  ResilienceManager,
  type ResilienceStats,
} from './manager.js';
export { HeartbeatHistory, phiAccrual, PhiAccrualDetector, type PhiAccrualOptions } from './phi.js';
export { type Policy, type PolicyTask } from './policy.js';
export {
  type AcquireOptions,
  KeyedRateLimiter,
  type KeyedRateLimiterOptions,
  RateLimiter,
  type RateLimiterEvent,
  type RateLimiterOptions,
  TokenBucketLimiter,
} from './rateLimiter.js';
export { isNeverRetried, retry, type RetryEvent, type RetryOptions, RetryPolicy } from './retry.js';
export { QuantileSketch, SlidingQuantiles } from './sketch.js';
export { type StatisticalDeciderOptions } from './statisticalDecider.js';
export { timeout, type TimeoutEvent, type TimeoutOptions, TimeoutPolicy } from './timeout.js';
export { type WindowDeciderOptions } from './windowDecider.js';
export { wrap, WrappedPolicy } from './wrap.js';
