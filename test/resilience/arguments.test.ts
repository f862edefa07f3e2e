import { describe, expect, it } from 'vitest';
import {
  AdaptiveTimeout,
  Bulkhead,
  CircuitBreaker,
  type CircuitBreakerJSON,
  type CircuitBreakerOptions,
  fallback,
  FallbackPolicy,
  KeyedRateLimiter,
  phiAccrual,
  PhiAccrualDetector,
  QuantileSketch,
  RateLimiter,
  ResilienceManager,
  retry,
  RetryPolicy,
  SlidingQuantiles,
  timeout,
  TimeoutPolicy,
  wrap,
  WrappedPolicy,
} from '../../src/resilience/index.js';
import { ArgumentRangeError, ArgumentTypeError } from '../../src/check/index.js';
import { expectRefusal, expectRejection, type Kind } from '../_support/refusals.js';

// Every public resilience function and constructor, fed each kind of bad argument: the error is
// an ArgumentTypeError (wrong type) or an ArgumentRangeError (fractional, NaN, infinite or out of
// range), with its code, and the message starts with the function and the argument it names.
// `execute` and the other promise-returning calls reject instead of throwing.

type Case = [where: string, argument: string, kind: Kind, call: () => unknown];

const never = undefined as never;
const task = async () => 1;
const notASignal = {} as AbortSignal;
const breaker = (options: CircuitBreakerOptions) => () => new CircuitBreaker(options);
const window = (decider: object) => breaker({ decider: { kind: 'window', windowMs: 1000, buckets: 10, failureRateThreshold: 0.5, minimumCalls: 1, ...decider } as never });
const statistical = (decider: object) => breaker({ decider: { kind: 'statistical', baselineFailureRate: 0.1, alpha: 1e-6, minimumCalls: 5, ...decider } as never });
const saved = (change: Partial<Record<keyof CircuitBreakerJSON, unknown>>, options?: CircuitBreakerOptions) => () =>
  CircuitBreaker.restore({ ...new CircuitBreaker({ decider: { kind: 'window', windowMs: 1000, buckets: 2, failureRateThreshold: 0.5, minimumCalls: 1 } }).toJSON(), ...change } as never, options);
const limiter = () => new RateLimiter({ capacity: 2, refillPerSecond: 1 });
const keyed = () => new KeyedRateLimiter({ capacity: 2, refillPerSecond: 1, maxKeys: 4 });
const limits = { capacity: 1, refillPerSecond: 1 };

const throws: Case[] = [
  // new CircuitBreaker
  ['new CircuitBreaker', 'options', 'type', () => new CircuitBreaker(5 as never)],
  ['new CircuitBreaker', 'options.name', 'type', breaker({ name: 1 as never })],
  ['new CircuitBreaker', 'options.clock', 'type', breaker({ clock: 5 as never })],
  ['new CircuitBreaker', 'options.halfOpenProbes', 'type', breaker({ halfOpenProbes: '2' as never })],
  ['new CircuitBreaker', 'options.halfOpenProbes', 'range', breaker({ halfOpenProbes: 0 })],
  ['new CircuitBreaker', 'options.halfOpenProbes', 'range', breaker({ halfOpenProbes: 1.5 })],
  ['new CircuitBreaker', 'options.probeGrowth', 'range', breaker({ probeGrowth: 0.5 })],
  ['new CircuitBreaker', 'options.probeGrowth', 'range', breaker({ probeGrowth: Infinity })],
  ['new CircuitBreaker', 'options.successThreshold', 'range', breaker({ successThreshold: NaN })],
  ['new CircuitBreaker', 'options.openMs', 'range', breaker({ openMs: -1 })],
  ['new CircuitBreaker', 'options.openMs', 'type', breaker({ openMs: 'soon' as never })],
  ['new CircuitBreaker', 'options.openMs.initialMs', 'type', breaker({ openMs: { initialMs: '1' as never, maxMs: 10 } })],
  ['new CircuitBreaker', 'options.openMs.maxMs', 'range', breaker({ openMs: { initialMs: 100, maxMs: 10 } })],
  ['new CircuitBreaker', 'options.openMs.factor', 'range', breaker({ openMs: { initialMs: 1, maxMs: 10, factor: 0.5 } })],
  ['new CircuitBreaker', 'options.openMs(1)', 'range', () => new CircuitBreaker({ openMs: () => -5, decider: { kind: 'consecutive', failures: 1 } }).record(false)],
  ['new CircuitBreaker', 'options.isFailure', 'type', breaker({ isFailure: 5 as never })],
  ['new CircuitBreaker', 'options.trackLatency', 'type', breaker({ trackLatency: 'yes' as never })],
  ['new CircuitBreaker', 'options.onEvent', 'type', breaker({ onEvent: 5 as never })],
  ['new CircuitBreaker', 'options.decider', 'type', breaker({ decider: 5 as never })],
  ['new CircuitBreaker', 'options.decider.kind', 'range', breaker({ decider: { kind: 'magic' } as never })],
  ['new CircuitBreaker', 'options.decider.kind', 'type', breaker({ decider: { kind: 5 } as never })],
  ['new CircuitBreaker', 'options.decider.failureRateThreshold', 'range', window({ failureRateThreshold: 0 })],
  ['new CircuitBreaker', 'options.decider.failureRateThreshold', 'range', window({ failureRateThreshold: 1.5 })],
  ['new CircuitBreaker', 'options.decider.failureRateThreshold', 'type', window({ failureRateThreshold: '0.5' })],
  ['new CircuitBreaker', 'options.decider.windowMs', 'range', window({ windowMs: -5 })],
  ['new CircuitBreaker', 'options.decider.buckets', 'range', window({ buckets: 0 })],
  ['new CircuitBreaker', 'options.decider.buckets', 'range', window({ buckets: 2.5 })],
  ['new CircuitBreaker', 'options.decider.buckets', 'range', window({ buckets: 4097 })],
  ['new CircuitBreaker', 'options.decider.minimumCalls', 'range', window({ minimumCalls: NaN })],
  ['new CircuitBreaker', 'options.decider.slowCallMs', 'range', window({ slowCallMs: 0 })],
  ['new CircuitBreaker', 'options.decider.slowCallRateThreshold', 'range', window({ slowCallRateThreshold: 0.5 })],
  ['new CircuitBreaker', 'options.decider.failures', 'range', breaker({ decider: { kind: 'consecutive', failures: -1 } })],
  ['new CircuitBreaker', 'options.decider.failures', 'range', breaker({ decider: { kind: 'consecutive', failures: 1.5 } })],
  ['new CircuitBreaker', 'options.decider.failures', 'type', breaker({ decider: { kind: 'consecutive', failures: '3' as never } })],
  ['new CircuitBreaker', 'options.decider.alpha', 'range', statistical({ alpha: 0 })],
  ['new CircuitBreaker', 'options.decider.baselineFailureRate', 'range', statistical({ baselineFailureRate: 1 })],
  ['new CircuitBreaker', 'options.decider.minimumCalls', 'range', statistical({ minimumCalls: 0 })],
  ['new CircuitBreaker', 'options.decider.windowMs', 'range', statistical({ windowMs: 0 })],
  ['new CircuitBreaker', 'options.decider.buckets', 'type', statistical({ buckets: '20' })],
  ['CircuitBreaker.onEvent', 'listener', 'type', () => new CircuitBreaker().onEvent(5 as never)],
  // CircuitBreaker.restore
  ['CircuitBreaker.restore', 'json', 'type', () => CircuitBreaker.restore(null as never)],
  ['CircuitBreaker.restore', 'options', 'type', saved({}, 5 as never)],
  ['CircuitBreaker.restore', 'json.version', 'range', saved({ version: 2 })],
  ['CircuitBreaker.restore', 'json.version', 'type', saved({ version: '1' })],
  ['CircuitBreaker.restore', 'json.state', 'range', saved({ state: 'melted' })],
  ['CircuitBreaker.restore', 'json.openUntil', 'range', saved({ openUntil: NaN })],
  ['CircuitBreaker.restore', 'json.openCount', 'range', saved({ openCount: -1 })],
  ['CircuitBreaker.restore', 'json.deciderState', 'type', saved({ deciderState: 5 })],
  ['CircuitBreaker.restore', 'json.deciderState.headEpoch', 'type', saved({ deciderState: { buckets: [] } })],
  ['CircuitBreaker.restore', 'json.deciderState.buckets', 'type', saved({ deciderState: { headEpoch: 1, buckets: 'none' } })],
  ['CircuitBreaker.restore', 'json.deciderState.buckets[0]', 'range', saved({ deciderState: { headEpoch: 1, buckets: [[1, 5, 0]] } })],
  ['CircuitBreaker.restore', 'json.deciderState.buckets[0]', 'range', saved({ deciderState: { headEpoch: 1, buckets: [[1, 0]] } })],
  ['CircuitBreaker.restore', 'json.deciderState.buckets[1][0]', 'range', saved({ deciderState: { headEpoch: 1, buckets: [[0, 0, 0], [1.5, 0, 0]] } })],
  [
    'CircuitBreaker.restore',
    'json.deciderState.count',
    'range',
    () => CircuitBreaker.restore({ ...new CircuitBreaker({ decider: { kind: 'consecutive', failures: 2 } }).toJSON(), deciderState: { count: -1 } }),
  ],
  // Bulkhead
  ['new Bulkhead', 'options', 'type', () => new Bulkhead(never)],
  ['new Bulkhead', 'options.maxConcurrent', 'range', () => new Bulkhead({ maxConcurrent: 0 })],
  ['new Bulkhead', 'options.maxConcurrent', 'range', () => new Bulkhead({ maxConcurrent: 1.5 })],
  ['new Bulkhead', 'options.maxConcurrent', 'type', () => new Bulkhead({ maxConcurrent: '1' as never })],
  ['new Bulkhead', 'options.maxQueue', 'range', () => new Bulkhead({ maxConcurrent: 1, maxQueue: -1 })],
  ['new Bulkhead', 'options.queueTimeoutMs', 'range', () => new Bulkhead({ maxConcurrent: 1, queueTimeoutMs: NaN })],
  ['new Bulkhead', 'options.name', 'type', () => new Bulkhead({ maxConcurrent: 1, name: 7 as never })],
  ['new Bulkhead', 'options.onEvent', 'type', () => new Bulkhead({ maxConcurrent: 1, onEvent: 'log' as never })],
  ['Bulkhead.onEvent', 'listener', 'type', () => new Bulkhead({ maxConcurrent: 1 }).onEvent(null as never)],
  // RateLimiter, KeyedRateLimiter
  ['new RateLimiter', 'options', 'type', () => new RateLimiter(null as never)],
  ['new RateLimiter', 'options.capacity', 'range', () => new RateLimiter({ capacity: 0, refillPerSecond: 1 })],
  ['new RateLimiter', 'options.capacity', 'type', () => new RateLimiter({ capacity: '1' as never, refillPerSecond: 1 })],
  ['new RateLimiter', 'options.refillPerSecond', 'range', () => new RateLimiter({ capacity: 1, refillPerSecond: NaN })],
  ['new RateLimiter', 'options.name', 'type', () => new RateLimiter({ ...limits, name: {} as never })],
  ['new RateLimiter', 'options.clock', 'type', () => new RateLimiter({ ...limits, clock: 5 as never })],
  ['RateLimiter.tryAcquire', 'n', 'range', () => limiter().tryAcquire(3)],
  ['RateLimiter.tryAcquire', 'n', 'range', () => limiter().tryAcquire(0)],
  ['RateLimiter.tryAcquire', 'n', 'range', () => limiter().tryAcquire(1.5)],
  ['RateLimiter.tryAcquire', 'n', 'type', () => limiter().tryAcquire('2' as never)],
  ['RateLimiter.onEvent', 'listener', 'type', () => limiter().onEvent(5 as never)],
  ['new KeyedRateLimiter', 'options.maxKeys', 'range', () => new KeyedRateLimiter({ ...limits, maxKeys: 0 })],
  ['new KeyedRateLimiter', 'options.maxKeys', 'range', () => new KeyedRateLimiter({ ...limits, maxKeys: 2.5 })],
  ['new KeyedRateLimiter', 'options.capacity', 'range', () => new KeyedRateLimiter({ capacity: -1, refillPerSecond: 1, maxKeys: 1 })],
  ['KeyedRateLimiter.tryAcquireFor', 'key', 'type', () => keyed().tryAcquireFor(5 as never)],
  ['KeyedRateLimiter.tryAcquireFor', 'n', 'range', () => keyed().tryAcquireFor('a', 0)],
  ['KeyedRateLimiter.tokensFor', 'key', 'type', () => keyed().tokensFor(5 as never)],
  ['KeyedRateLimiter.policyFor', 'key', 'type', () => keyed().policyFor(5 as never)],
  ['KeyedRateLimiter.onEvent', 'listener', 'type', () => keyed().onEvent(5 as never)],
  // RetryPolicy, retry
  ['new RetryPolicy', 'options', 'type', () => new RetryPolicy(5 as never)],
  ['new RetryPolicy', 'options.maxAttempts', 'range', () => new RetryPolicy({ maxAttempts: 0 })],
  ['new RetryPolicy', 'options.maxAttempts', 'range', () => new RetryPolicy({ maxAttempts: 1.5 })],
  ['new RetryPolicy', 'options.baseMs', 'range', () => new RetryPolicy({ baseMs: -1 })],
  ['new RetryPolicy', 'options.maxDelayMs', 'range', () => new RetryPolicy({ maxDelayMs: Infinity })],
  ['new RetryPolicy', 'options.jitter', 'range', () => new RetryPolicy({ jitter: 'some' as never })],
  ['new RetryPolicy', 'options.jitter', 'type', () => new RetryPolicy({ jitter: 5 as never })],
  ['new RetryPolicy', 'options.backoff', 'range', () => new RetryPolicy({ backoff: 'linear' as never })],
  ['new RetryPolicy', 'options.backoff', 'type', () => new RetryPolicy({ backoff: 5 as never })],
  ['new RetryPolicy', 'options.retryIf', 'type', () => new RetryPolicy({ retryIf: true as never })],
  ['new RetryPolicy', 'options.random', 'type', () => new RetryPolicy({ random: 0.5 as never })],
  ['new RetryPolicy', 'options.sleep', 'type', () => new RetryPolicy({ sleep: 10 as never })],
  ['new RetryPolicy', 'options.signal', 'type', () => new RetryPolicy({ signal: notASignal })],
  ['new RetryPolicy', 'options.onEvent', 'type', () => new RetryPolicy({ onEvent: [] as never })],
  ['RetryPolicy.onEvent', 'listener', 'type', () => new RetryPolicy().onEvent(5 as never)],
  ['retry', 'options', 'type', () => retry(task, 5 as never)],
  ['retry', 'options.maxAttempts', 'range', () => retry(task, { maxAttempts: -3 })],
  ['retry', 'options.signal', 'type', () => retry(task, { signal: notASignal })],
  // TimeoutPolicy, timeout, AdaptiveTimeout
  ['new TimeoutPolicy', 'ms', 'range', () => new TimeoutPolicy(-1)],
  ['new TimeoutPolicy', 'ms', 'range', () => new TimeoutPolicy(NaN)],
  ['new TimeoutPolicy', 'ms', 'type', () => new TimeoutPolicy('5' as never)],
  ['new TimeoutPolicy', 'options', 'type', () => new TimeoutPolicy(10, 'fast' as never)],
  ['new TimeoutPolicy', 'options.mode', 'range', () => new TimeoutPolicy(10, { mode: 'polite' as never })],
  ['new TimeoutPolicy', 'options.resolutionMs', 'range', () => new TimeoutPolicy(10, { resolutionMs: 0 })],
  ['new TimeoutPolicy', 'options.clock', 'type', () => new TimeoutPolicy(10, { clock: {} as never })],
  ['TimeoutPolicy.onEvent', 'listener', 'type', () => new TimeoutPolicy(10).onEvent(5 as never)],
  ['timeout', 'ms', 'range', () => timeout(task, -1)],
  ['timeout', 'options', 'type', () => timeout(task, 10, 5 as never)],
  ['timeout', 'options.mode', 'range', () => timeout(task, 10, { mode: 'polite' as never })],
  ['new AdaptiveTimeout', 'options', 'type', () => new AdaptiveTimeout(null as never)],
  ['new AdaptiveTimeout', 'options.minMs', 'range', () => new AdaptiveTimeout({ minMs: -1, maxMs: 5 })],
  ['new AdaptiveTimeout', 'options.maxMs', 'range', () => new AdaptiveTimeout({ minMs: 10, maxMs: 5 })],
  ['new AdaptiveTimeout', 'options.maxMs', 'type', () => new AdaptiveTimeout({ minMs: 1 } as never)],
  ['new AdaptiveTimeout', 'options.quantile', 'range', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5, quantile: 1.5 })],
  ['new AdaptiveTimeout', 'options.quantile', 'range', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5, quantile: 0 })],
  ['new AdaptiveTimeout', 'options.windowSamples', 'range', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5, windowSamples: 0 })],
  ['new AdaptiveTimeout', 'options.mode', 'range', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5, mode: 'eager' as never })],
  ['new AdaptiveTimeout', 'options.clock', 'type', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5, clock: 'now' as never })],
  ['AdaptiveTimeout.record', 'latencyMs', 'type', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5 }).record('5' as never)],
  ['AdaptiveTimeout.record', 'latencyMs', 'range', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5 }).record(-1)],
  // FallbackPolicy, fallback
  ['new FallbackPolicy', 'alternative', 'type', () => new FallbackPolicy(5 as never)],
  ['new FallbackPolicy', 'options', 'type', () => new FallbackPolicy(() => 0, 5 as never)],
  ['new FallbackPolicy', 'options.when', 'type', () => new FallbackPolicy(() => 0, { when: 5 as never })],
  ['new FallbackPolicy', 'options.onEvent', 'type', () => new FallbackPolicy(() => 0, { onEvent: 5 as never })],
  ['FallbackPolicy.onEvent', 'listener', 'type', () => new FallbackPolicy(() => 0).onEvent(5 as never)],
  ['fallback', 'alternative', 'type', () => fallback(task, 'default' as never)],
  // wrap, WrappedPolicy
  ['wrap', 'policies[0]', 'type', () => wrap({} as never)],
  ['wrap', 'policies[1]', 'type', () => wrap(new Bulkhead({ maxConcurrent: 1 }), 5 as never)],
  ['new WrappedPolicy', 'policies', 'type', () => new WrappedPolicy(5 as never)],
  ['new WrappedPolicy', 'policies[0]', 'type', () => new WrappedPolicy([null as never])],
  // ResilienceManager
  ['new ResilienceManager', 'options', 'type', () => new ResilienceManager(5 as never)],
  ['new ResilienceManager', 'options.clock', 'type', () => new ResilienceManager({ clock: 5 as never })],
  ['ResilienceManager.breaker', 'name', 'range', () => new ResilienceManager().breaker('')],
  ['ResilienceManager.breaker', 'name', 'type', () => new ResilienceManager().breaker(5 as never)],
  ['ResilienceManager.breaker', 'options', 'type', () => new ResilienceManager().breaker('b', 5 as never)],
  ['ResilienceManager.adaptiveTimeout', 'options', 'type', () => new ResilienceManager().adaptiveTimeout('t', never)],
  ['ResilienceManager.onEvent', 'listener', 'type', () => new ResilienceManager().onEvent(5 as never)],
  ['new CircuitBreaker', 'options.halfOpenProbes', 'range', () => new ResilienceManager().breaker('b', { halfOpenProbes: 0 })],
  // PhiAccrualDetector, phiAccrual
  ['new PhiAccrualDetector', 'options', 'type', () => new PhiAccrualDetector(3 as never)],
  ['new PhiAccrualDetector', 'options.threshold', 'range', () => new PhiAccrualDetector({ threshold: 0 })],
  ['new PhiAccrualDetector', 'options.maxSampleSize', 'range', () => new PhiAccrualDetector({ maxSampleSize: 0 })],
  ['new PhiAccrualDetector', 'options.maxSampleSize', 'range', () => new PhiAccrualDetector({ maxSampleSize: 1.5 })],
  ['new PhiAccrualDetector', 'options.minStdDeviationMs', 'range', () => new PhiAccrualDetector({ minStdDeviationMs: NaN })],
  ['new PhiAccrualDetector', 'options.acceptableHeartbeatPauseMs', 'range', () => new PhiAccrualDetector({ acceptableHeartbeatPauseMs: -1 })],
  ['new PhiAccrualDetector', 'options.firstHeartbeatEstimateMs', 'range', () => new PhiAccrualDetector({ firstHeartbeatEstimateMs: 0 })],
  ['new PhiAccrualDetector', 'options.clock', 'type', () => new PhiAccrualDetector({ clock: 5 as never })],
  ['PhiAccrualDetector.phi', 'now', 'type', () => new PhiAccrualDetector().phi('5' as never)],
  ['PhiAccrualDetector.heartbeat', 'now', 'range', () => new PhiAccrualDetector().heartbeat(NaN)],
  ['PhiAccrualDetector.isAvailable', 'now', 'range', () => new PhiAccrualDetector().isAvailable(Infinity)],
  ['phiAccrual', 'timeDiffMs', 'type', () => phiAccrual('5' as never, 0, 1)],
  ['phiAccrual', 'meanMs', 'range', () => phiAccrual(5, NaN, 1)],
  ['phiAccrual', 'stdDeviationMs', 'range', () => phiAccrual(5, 0, 0)],
  // QuantileSketch, SlidingQuantiles
  ['QuantileSketch.record', 'ms', 'type', () => new QuantileSketch().record('5' as never)],
  ['QuantileSketch.quantile', 'q', 'range', () => new QuantileSketch().quantile(1.5)],
  ['QuantileSketch.quantile', 'q', 'type', () => new QuantileSketch().quantile('median' as never)],
  ['new SlidingQuantiles', 'windowSamples', 'range', () => new SlidingQuantiles(0)],
  ['new SlidingQuantiles', 'windowSamples', 'range', () => new SlidingQuantiles(1.5)],
  ['SlidingQuantiles.record', 'ms', 'type', () => new SlidingQuantiles().record(null as never)],
  ['SlidingQuantiles.quantile', 'q', 'range', () => new SlidingQuantiles().quantile(-1)],
];

const rejects: Case[] = [
  ['CircuitBreaker.execute', 'fn', 'type', () => new CircuitBreaker().execute(5 as never)],
  ['CircuitBreaker.execute', 'signal', 'type', () => new CircuitBreaker().execute(task, notASignal)],
  ['Bulkhead.execute', 'fn', 'type', () => new Bulkhead({ maxConcurrent: 1 }).execute('run' as never)],
  ['Bulkhead.execute', 'signal', 'type', () => new Bulkhead({ maxConcurrent: 1 }).execute(task, 5 as never)],
  ['RateLimiter.execute', 'fn', 'type', () => limiter().execute(null as never)],
  ['RateLimiter.acquire', 'n', 'range', () => limiter().acquire(0)],
  ['RateLimiter.acquire', 'n', 'range', () => limiter().acquire(3)],
  ['RateLimiter.acquire', 'options', 'type', () => limiter().acquire(1, 5 as never)],
  ['RateLimiter.acquire', 'options.signal', 'type', () => limiter().acquire(1, { signal: notASignal })],
  ['RateLimiter.acquire', 'options.timeoutMs', 'range', () => limiter().acquire(1, { timeoutMs: -1 })],
  ['KeyedRateLimiter.acquireFor', 'key', 'type', () => keyed().acquireFor(5 as never)],
  ['KeyedRateLimiter.acquireFor', 'n', 'range', () => keyed().acquireFor('a', 2.5)],
  ['KeyedRateLimiter.acquireFor', 'options.timeoutMs', 'type', () => keyed().acquireFor('a', 1, { timeoutMs: 'soon' as never })],
  ['KeyedRateLimiter.policyFor(key).execute', 'fn', 'type', () => keyed().policyFor('a').execute(5 as never)],
  ['RetryPolicy.execute', 'fn', 'type', () => new RetryPolicy().execute(5 as never)],
  ['RetryPolicy.execute', 'signal', 'type', () => new RetryPolicy().execute(task, notASignal)],
  ['retry', 'fn', 'type', () => retry(5 as never)],
  [
    'new RetryPolicy',
    'options.backoff(1)',
    'range',
    () =>
      new RetryPolicy({ backoff: () => NaN, sleep: async () => undefined }).execute(async () => {
        throw new Error('down');
      }),
  ],
  ['TimeoutPolicy.execute', 'fn', 'type', () => new TimeoutPolicy(10).execute(5 as never)],
  ['TimeoutPolicy.execute', 'signal', 'type', () => new TimeoutPolicy(10).execute(task, notASignal)],
  ['timeout', 'fn', 'type', () => timeout(5 as never, 10)],
  ['timeout', 'options.signal', 'type', () => timeout(task, 10, { signal: notASignal })],
  ['AdaptiveTimeout.execute', 'fn', 'type', () => new AdaptiveTimeout({ minMs: 1, maxMs: 5 }).execute(5 as never)],
  ['FallbackPolicy.execute', 'fn', 'type', () => new FallbackPolicy(() => 0).execute(5 as never)],
  ['fallback', 'fn', 'type', () => fallback(5 as never, () => 0)],
  ['fallback', 'signal', 'type', () => fallback(task, () => 0, notASignal)],
  ['WrappedPolicy.execute', 'fn', 'type', () => wrap().execute(5 as never)],
  ['WrappedPolicy.execute', 'signal', 'type', () => wrap(new CircuitBreaker()).execute(task, notASignal)],
];

describe('resilience argument errors', () => {
  it.each(throws)('%s: %s (%s) throws', (where, argument, kind, call) => {
    expectRefusal(call, kind, where, argument);
  });

  it.each(rejects)('%s: %s (%s) rejects', async (where, argument, kind, call) => {
    let result: unknown;
    expect(() => (result = call())).not.toThrow();
    expect(result).toBeInstanceOf(Promise);
    await expectRejection(() => result as Promise<unknown>, kind, where, argument);
  });

  it('say what was wrong and what was got', () => {
    const message = (call: () => unknown) => {
      try {
        call();
      } catch (err) {
        return (err as Error).message;
      }
      return undefined;
    };
    expect(message(breaker({ openMs: -1 }))).toBe('new CircuitBreaker: options.openMs must be a finite number >= 0, got -1');
    expect(message(() => retry(task, { maxAttempts: 1.5 }))).toBe('retry: options.maxAttempts must be a safe integer >= 1, got 1.5');
    expect(message(() => limiter().tryAcquire(3))).toBe('RateLimiter.tryAcquire: n must be <= capacity (2), got 3');
    expect(message(window({ failureRateThreshold: 1.5 }))).toBe(
      'new CircuitBreaker: options.decider.failureRateThreshold must be a finite number in (0, 1], got 1.5',
    );
    expect(message(() => new RetryPolicy({ backoff: 'linear' as never }))).toBe(
      "new RetryPolicy: options.backoff must be 'exponential', 'constant' or a function, got 'linear'",
    );
    const m = new ResilienceManager();
    m.breaker('db');
    expect(message(() => m.bulkhead('db', { maxConcurrent: 1 }))).toBe("ResilienceManager.bulkhead: name 'db' is already registered to a breaker");
  });

  it('an option given as null takes its default, as one left out does', () => {
    const b = new CircuitBreaker({ name: null, clock: null, onEvent: null, halfOpenProbes: null, trackLatency: null } as never);
    expect([b.name, b.halfOpenProbes, b.latency]).toEqual(['breaker', 1, undefined]);
    expect(new Bulkhead({ maxConcurrent: 1, queueTimeoutMs: null } as never).queueTimeoutMs).toBe(Infinity);
  });

  it('a refused call changes nothing: no key is remembered or evicted, no shared policy is taken', () => {
    const rl = new KeyedRateLimiter({ capacity: 2, refillPerSecond: 1, maxKeys: 1 });
    rl.tryAcquireFor('a');
    expect(() => rl.tryAcquireFor('b', 3)).toThrow(ArgumentRangeError);
    expect([rl.has('a'), rl.has('b'), rl.stats().evictions]).toEqual([true, false, 0]);
    // a shared timeout policy made for ms = 10 must not answer for ms = '10'
    return Promise.all([expect(timeout(task, 10)).resolves.toBe(1), expect(() => timeout(task, '10' as never)).toThrow(ArgumentTypeError)]);
  });
});
