import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Bulkhead, BulkheadRejectedError } from '../../src/index.js';

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

describe('Bulkhead', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs up to maxConcurrent, queues up to maxQueue, rejects the rest at once', async () => {
    const b = new Bulkhead({ maxConcurrent: 2, maxQueue: 1 });
    const g = gate();
    const running = [b.execute(() => g.p), b.execute(() => g.p)];
    const queued = b.execute(async () => 'queued');
    expect(b.active).toBe(2);
    expect(b.queued).toBe(1);
    const err = await b.execute(async () => 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BulkheadRejectedError);
    expect((err as BulkheadRejectedError).code).toBe('ERR_BULKHEAD_REJECTED');
    g.open();
    await Promise.all(running);
    await expect(queued).resolves.toBe('queued');
    await vi.runAllTimersAsync();
    expect(b.active).toBe(0);
    expect(b.queued).toBe(0);
    expect(b.rejections).toBe(1);
  });

  it('a queued call times out after queueTimeoutMs and never runs', async () => {
    const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 100 });
    const g = gate();
    const first = b.execute(() => g.p);
    let ran = false;
    const waiting = b.execute(async () => (ran = true));
    const check = expect(waiting).rejects.toBeInstanceOf(BulkheadRejectedError);
    await vi.advanceTimersByTimeAsync(100);
    await check;
    expect(b.queued).toBe(0);
    g.open();
    await first;
    expect(ran).toBe(false);
    expect(b.active).toBe(0);
  });

  it('an aborted queued call leaves the queue cleanly; the next one gets the slot', async () => {
    const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 5 });
    const g = gate();
    const first = b.execute(() => g.p);
    const ac = new AbortController();
    const aborted = b.execute(async () => 'never', ac.signal);
    const next = b.execute(async () => 'next');
    ac.abort(new Error('bye'));
    await expect(aborted).rejects.toThrow('bye');
    expect(b.queued).toBe(1);
    g.open();
    await first;
    await expect(next).resolves.toBe('next');
    expect(b.active).toBe(0);
  });

  it('releases the slot when the task throws', async () => {
    const b = new Bulkhead({ maxConcurrent: 1 });
    await expect(b.execute(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(b.execute(async () => 'ok')).resolves.toBe('ok');
  });
});

describe('Bulkhead events', () => {
  it('emits a rejected event when full', async () => {
    const events: unknown[] = [];
    const b = new Bulkhead({ name: 'verify', maxConcurrent: 1, onEvent: (e) => events.push(e) });
    let release!: () => void;
    const running = b.execute(() => new Promise<void>((r) => (release = r)));
    await b.execute(async () => 1).catch(() => undefined);
    expect(events).toEqual([{ type: 'rejected', policy: 'verify', reason: 'full', active: 1, queued: 0 }]);
    release();
    await running;
  });
});
