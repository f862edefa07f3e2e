import { type BackoffFn, type BackoffOption, type ExponentialBackoffOptions, toBackoff } from './backoff/index.js';
import type { Clock } from './clock.js';
import { createDecider, type Decider, type DeciderOptions, type StatisticalDeciderOptions } from './deciders/index.js';
import type { Listener } from './events.js';
import { functionOption } from './options.js';
import { optionKeys, requireBoolean, requireInteger, requireNumber } from '../check/index.js';

export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface CircuitBreakerOptions {
  /** Shown in errors, events, stats and metrics labels. */
  name?: string;
  /** What opens the circuit; default `DEFAULT_BREAKER_DECIDER`. */
  decider?: DeciderOptions;
  /** How long the circuit stays open before probing: ms, or a backoff growing with each
   * consecutive open period while the dependency stays down. Default `DEFAULT_BREAKER_OPEN_MS`. */
  openMs?: BackoffOption;
  /** Probes admitted in the first half-open round; default 1. */
  halfOpenProbes?: number;
  /** Each fully successful round admits `probeGrowth` times more probes; default 2 (1, 2, 4…). */
  probeGrowth?: number;
  /** Successful probes that close the circuit; default 3. */
  successThreshold?: number;
  /** Which errors count as failures of the dependency; default every error. Others are ignored. */
  isFailure?: (error: unknown) => boolean;
  /** Keep a latency sketch of `execute` calls for `stats()`; default false (saves two clock reads). */
  trackLatency?: boolean;
  clock?: Clock;
  onEvent?: Listener<BreakerEvent>;
}

export const BREAKER_OPTIONS = /* @__PURE__ */ optionKeys<CircuitBreakerOptions>({
  name: true,
  decider: true,
  openMs: true,
  halfOpenProbes: true,
  probeGrowth: true,
  successThreshold: true,
  isFailure: true,
  trackLatency: true,
  clock: true,
  onEvent: true,
});

export type BreakerEvent =
  | { type: 'state'; policy: string; from: CircuitState; to: CircuitState; at: number }
  | { type: 'rejected'; policy: string; state: CircuitState; at: number };

/**
 * The default decider: a binomial test against a 10 % baseline failure rate at alpha = 1e-9,
 * over a 1 s window of 20 buckets. It opens after about ten failures in a row when everything
 * fails, and practically never on a dependency failing at its baseline rate.
 */
export const DEFAULT_BREAKER_DECIDER: StatisticalDeciderOptions = Object.freeze({
  kind: 'statistical',
  baselineFailureRate: 0.1,
  alpha: 1e-9,
  minimumCalls: 5,
  windowMs: 1000,
  buckets: 20,
});

/** The default open period: 20 ms, doubling while the dependency stays down, at most 100 ms. */
export const DEFAULT_BREAKER_OPEN_MS: ExponentialBackoffOptions = Object.freeze({ initialMs: 20, maxMs: 100, factor: 2 });

/** Largest probe budget of a half-open round. */
export const MAX_PROBES = 1 << 20;

/** Everything a breaker's options decide that is not per-breaker state. */
export interface BreakerConfig {
  readonly deciderOptions: DeciderOptions;
  readonly decider: Decider;
  readonly openMs: BackoffOption;
  readonly backoff: BackoffFn;
  readonly halfOpenProbes: number;
  readonly probeGrowth: number;
  readonly successThreshold: number;
  readonly isFailure: ((error: unknown) => boolean) | undefined;
  readonly trackLatency: boolean;
  /** Whether calls are timed (slow-call tracking or latency sketch). */
  readonly timed: boolean;
}

function buildConfig(options: CircuitBreakerOptions, where: string): BreakerConfig {
  const deciderOptions = options.decider ?? DEFAULT_BREAKER_DECIDER;
  const decider = createDecider(deciderOptions, where);
  const openMs = options.openMs ?? DEFAULT_BREAKER_OPEN_MS;
  const trackLatency = requireBoolean(options.trackLatency ?? false, where, 'options.trackLatency');
  return {
    deciderOptions,
    decider,
    openMs,
    backoff: toBackoff(openMs, where, 'options.openMs'),
    halfOpenProbes: requireInteger(options.halfOpenProbes ?? 1, where, 'options.halfOpenProbes', 1, MAX_PROBES),
    probeGrowth: requireNumber(options.probeGrowth ?? 2, where, 'options.probeGrowth', 1),
    successThreshold: requireInteger(options.successThreshold ?? 3, where, 'options.successThreshold', 1),
    isFailure: functionOption(options.isFailure, where, 'options.isFailure'),
    trackLatency,
    timed: decider.usesDuration || trackLatency,
  };
}

// Breakers built from equal options share one config (and one decider, backoff, critical-value
// table), which keeps a breaker small: thousands of per-peer breakers cost their state only.
const configs = new Map<string, BreakerConfig>();
const MAX_CONFIGS = 256;
const keyReplacer = (_key: string, value: unknown) => (typeof value === 'number' ? `n:${value}` : value === undefined ? 'u' : value);

/** The config for `options`, shared with earlier breakers built from equal options; `where` names the caller in argument errors. */
export function configFor(options: CircuitBreakerOptions, where: string): BreakerConfig {
  if (options.isFailure !== undefined || typeof options.openMs === 'function') return buildConfig(options, where);
  const key = JSON.stringify(
    [options.decider, options.openMs, options.halfOpenProbes, options.probeGrowth, options.successThreshold, options.trackLatency],
    keyReplacer,
  );
  let config = configs.get(key);
  if (config === undefined) {
    config = buildConfig(options, where);
    if (configs.size < MAX_CONFIGS) configs.set(key, config);
  }
  return config;
}

