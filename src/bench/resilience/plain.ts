import { CircuitBreaker } from '../../resilience/index.js';

type Cockatiel = typeof import('cockatiel');

/** One subject of the plain measurement: `calls` awaited calls in a loop of its own. */
export interface PlainLoop {
  name: string;
  run(calls: number): Promise<void>;
}

/**
 * A breaker's cost measured the plain way (issue 17): `await breaker.execute(async () => 1)` in
 * a tight loop, default options on both sides (swarmguard's `new CircuitBreaker()`, cockatiel's
 * `ConsecutiveBreaker(5)`), against the same loop awaiting the task bare. Each subject is a
 * loop literal of its own making a fresh task per call, as user code does; `nsPerAsyncCall`
 * instead drives every subject through one shared `await fn()` and one shared task, so its call
 * sites see all subjects at once.
 */
export function plainLoops(cockatiel: Cockatiel | undefined): PlainLoop[] {
  const breaker = new CircuitBreaker();
  const loops: PlainLoop[] = [
    {
      name: 'bare await',
      async run(calls) {
        for (let i = 0; i < calls; i++) await (async () => 1)();
      },
    },
    {
      name: 'swarmguard',
      async run(calls) {
        for (let i = 0; i < calls; i++) await breaker.execute(async () => 1);
      },
    },
  ];
  if (cockatiel) {
    const policy = cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 10_000, breaker: new cockatiel.ConsecutiveBreaker(5) });
    loops.push({
      name: 'cockatiel',
      async run(calls) {
        for (let i = 0; i < calls; i++) await policy.execute(async () => 1);
      },
    });
  }
  return loops;
}
