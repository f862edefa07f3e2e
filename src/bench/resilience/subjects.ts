import { BrokenCircuitError, CircuitBreaker, type CircuitBreakerOptions, type Clock } from '../../resilience/index.js';

/** A breaker under test, seen through what the scripted fault needs. */
interface Guarded {
  call(task: () => Promise<void>): Promise<void>;
  isRejection(err: unknown): boolean;
  /** Times (on the scenario clock) the breaker opened and closed. */
  opened: number[];
  closed: number[];
  dispose(): void;
}

export interface GuardFactory {
  name: string;
  create(clock: Clock, now: () => number): Guarded;
}

export function swarmguardGuard(name = 'swarmguard (default breaker)', options: CircuitBreakerOptions = {}): GuardFactory {
  return {
    name,
    create(clock, now) {
      const breaker = new CircuitBreaker({ ...options, clock });
      const g: Guarded = {
        opened: [],
        closed: [],
        call: (task) => breaker.execute(task),
        isRejection: (err) => err instanceof BrokenCircuitError,
        dispose: () => undefined,
      };
      breaker.onEvent((e) => {
        if (e.type !== 'state') return;
        if (e.to === 'open') g.opened.push(now());
        if (e.to === 'closed') g.closed.push(now());
      });
      return g;
    },
  };
}

type Cockatiel = typeof import('cockatiel');

/** cockatiel 3 SamplingBreaker: 50 % over 1 s, ≥ 5 rps, half-open after 200 ms. */
export function cockatielGuard(lib: Cockatiel): GuardFactory {
  return {
    name: 'cockatiel 3 (sampling 50 %/1 s, halfOpenAfter 200 ms)',
    create(_clock, now) {
      const policy = lib.circuitBreaker(lib.handleAll, {
        halfOpenAfter: 200,
        breaker: new lib.SamplingBreaker({ threshold: 0.5, duration: 1000, minimumRps: 5 }),
      });
      const g: Guarded = {
        opened: [],
        closed: [],
        call: (task) => policy.execute(() => task()),
        isRejection: (err) => err instanceof lib.BrokenCircuitError,
        dispose: () => undefined,
      };
      policy.onBreak(() => g.opened.push(now()));
      policy.onReset(() => g.closed.push(now()));
      return g;
    },
  };
}

/** The part of opossum's CircuitBreaker class the bench uses. */
export type OpossumCtor = new (
  action: (...args: never[]) => unknown,
  options?: Record<string, unknown>,
) => {
  fire(...args: unknown[]): Promise<unknown>;
  on(event: string, fn: () => void): void;
  shutdown(): void;
};

/** opossum 9: 50 % over 1 s (10 buckets), volume ≥ 5, reset after 200 ms, no call timeout. */
export function opossumGuard(Opossum: OpossumCtor): GuardFactory {
  return {
    name: 'opossum 9 (50 %/1 s, resetTimeout 200 ms)',
    create(_clock, now) {
      const breaker = new Opossum((task: () => Promise<void>) => task(), {
        timeout: false,
        errorThresholdPercentage: 50,
        resetTimeout: 200,
        rollingCountTimeout: 1000,
        rollingCountBuckets: 10,
        volumeThreshold: 5,
      });
      const g: Guarded = {
        opened: [],
        closed: [],
        call: (task) => breaker.fire(task) as Promise<void>,
        isRejection: (err) => (err as { code?: string })?.code === 'EOPENBREAKER',
        dispose: () => breaker.shutdown(),
      };
      breaker.on('open', () => g.opened.push(now()));
      breaker.on('close', () => g.closed.push(now()));
      return g;
    },
  };
}
