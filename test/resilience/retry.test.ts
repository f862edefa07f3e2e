import { describe, expect, it } from 'vitest';
import { BrokenCircuitError, BulkheadRejectedError, IsolatedCircuitError, retry, type RetryEvent, RetryPolicy } from '../../src/resilience/index.js';

const noSleep = { sleep: async () => undefined };

function flaky(failures: number) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fn: async () => {
      if (++calls <= failures) throw new Error(`fail ${calls}`);
      return calls;
    },
  };
}

describe('retry', () => {
  it('retries until success within maxAttempts', async () => {
    const f = flaky(2);
    await expect(retry(f.fn, { maxAttempts: 3, ...noSleep })).resolves.toBe(3);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const f = flaky(10);
    await expect(retry(f.fn, { maxAttempts: 3, ...noSleep })).rejects.toThrow('fail 3');
    expect(f.calls).toBe(3);
  });

  it.each([
    ['BrokenCircuitError', new BrokenCircuitError('open', 10)],
    ['IsolatedCircuitError', new IsolatedCircuitError('isolated')],
    ['BulkheadRejectedError', new BulkheadRejectedError('full')],
  ])('never retries %s', async (_name, error) => {
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw error;
      }, { maxAttempts: 5, ...noSleep }),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('never retries once the signal is aborted (and stops a pending sleep)', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = retry(
      async () => {
        calls++;
        throw new Error('x');
      },
      { maxAttempts: 5, baseMs: 60_000, jitter: 'none', signal: ac.signal },
    );
    await new Promise((r) => setImmediate(r)); // first attempt failed, now sleeping
    ac.abort(new Error('aborted'));
    await expect(p).rejects.toThrow('aborted');
    expect(calls).toBe(1);
  });

  it('retryIf filters errors', async () => {
    const f = flaky(10);
    await expect(retry(f.fn, { maxAttempts: 5, retryIf: (_e, attempt) => attempt < 2, ...noSleep })).rejects.toThrow('fail 2');
  });

  it('delays follow the backoff and jitter (deterministic random)', async () => {
    const delays = async (options: ConstructorParameters<typeof RetryPolicy>[0]) => {
      const seen: number[] = [];
      const p = new RetryPolicy({ maxAttempts: 5, ...noSleep, ...options, onEvent: (e: RetryEvent) => e.type === 'retry' && seen.push(e.delayMs) });
      await p.execute(flaky(10).fn).catch(() => undefined);
      return seen;
    };
    expect(await delays({ baseMs: 10, jitter: 'none' })).toEqual([10, 20, 40, 80]);
    expect(await delays({ baseMs: 10, jitter: 'none', maxDelayMs: 25 })).toEqual([10, 20, 25, 25]);
    expect(await delays({ baseMs: 10, jitter: 'none', backoff: 'constant' })).toEqual([10, 10, 10, 10]);
    expect(await delays({ baseMs: 10, jitter: 'full', random: () => 0.5 })).toEqual([5, 10, 20, 40]);
    expect(await delays({ baseMs: 10, jitter: 'decorrelated', random: () => 1, maxDelayMs: 1000 })).toEqual([30, 90, 270, 810]);
    expect(await delays({ backoff: (n) => n * 3, jitter: 'none' })).toEqual([3, 6, 9, 12]);
  });

  it('exponential delays past attempt 1024 (2^1024 overflows) stay at maxDelayMs, also from baseMs 0', async () => {
    for (const baseMs of [1, 0]) {
      const delays: number[] = [];
      let calls = 0;
      const err = await retry(
        async () => {
          calls++;
          throw new Error('down');
        },
        { maxAttempts: 1100, baseMs, maxDelayMs: 5000, jitter: 'none', ...noSleep, onEvent: (e) => e.type === 'retry' && delays.push(e.delayMs) },
      ).catch((e: unknown) => e);
      expect((err as Error).message).toBe('down');
      expect(calls).toBe(1100);
      expect(delays.at(-1)).toBe(baseMs === 0 ? 0 : 5000);
    }
  });
});
