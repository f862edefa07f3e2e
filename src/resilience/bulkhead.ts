import { optionKeys, requireInteger, requireNumber, requireObject, requireOptions } from '../check/index.js';
import { BulkheadRejectedError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { functionOption, isAbsent, nameOption } from './options.js';
import { type FastPolicy, type PolicyTask, rejectInvalidCall, SLOW, type StatsSource } from './policy.js';

export interface BulkheadOptions {
  name?: string;
  /** Calls running at once. */
  maxConcurrent: number;
  /** Calls waiting for a slot; default 0 (reject at once when full). */
  maxQueue?: number;
  /** How long a queued call may wait; default no limit. */
  queueTimeoutMs?: number;
  onEvent?: Listener<BulkheadEvent>;
}

export const BULKHEAD_OPTIONS = /* @__PURE__ */ optionKeys<BulkheadOptions>({ name: true, maxConcurrent: true, maxQueue: true, queueTimeoutMs: true, onEvent: true });

export type BulkheadEvent = { type: 'rejected'; policy: string; reason: 'full' | 'queue-timeout'; active: number; queued: number };

export interface BulkheadStats {
  active: number;
  queued: number;
  executed: number;
  rejections: number;
}

interface Waiter {
  grant: () => void;
  fail: (err: unknown) => void;
  done: boolean;
}

/** Caps concurrent calls; extra calls wait in a bounded FIFO queue or are rejected at once. */
export class Bulkhead implements FastPolicy, StatsSource<BulkheadStats> {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly queueTimeoutMs: number;
  active = 0;
  /** Live waiters; `queue` may also hold settled ones (skipped when a slot frees). */
  queued = 0;
  executed = 0;
  rejections = 0;
  private queue: Waiter[] = [];
  private queueHead = 0;
  private emitter: Emitter<BulkheadEvent> | undefined;

  constructor(options: BulkheadOptions) {
    const where = 'new Bulkhead';
    requireOptions(requireObject(options, where, 'options'), where, 'options', BULKHEAD_OPTIONS);
    this.name = nameOption(options.name, where, 'bulkhead');
    this.maxConcurrent = requireInteger(options.maxConcurrent, where, 'options.maxConcurrent', 1);
    this.maxQueue = requireInteger(options.maxQueue ?? 0, where, 'options.maxQueue', 0);
    this.queueTimeoutMs = isAbsent(options.queueTimeoutMs) ? Infinity : requireNumber(options.queueTimeoutMs, where, 'options.queueTimeoutMs', 0);
    const onEvent = functionOption<Listener<BulkheadEvent>>(options.onEvent, where, 'options.onEvent');
    if (onEvent !== undefined) this.onEvent(onEvent);
  }

  onEvent(listener: Listener<BulkheadEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener, 'Bulkhead.onEvent');
  }

  stats(): BulkheadStats {
    return { active: this.active, queued: this.queued, executed: this.executed, rejections: this.rejections };
  }

  execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal, 'Bulkhead.execute');
    if (invalid) return invalid;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.maxConcurrent) {
      this.active++;
      return this.run(fn, signal);
    }
    return this.enqueue(signal).then(() => this.run(fn, signal));
  }

  /** For `wrap`: takes a free slot synchronously; a full bulkhead takes `execute` (queue or reject). */
  fastEnter(): unknown {
    if (this.active >= this.maxConcurrent) return SLOW;
    this.active++;
    this.executed++;
    return undefined;
  }

  fastExit(): void {
    this.release();
  }

  fastCancel(): void {
    this.executed--;
    this.release();
  }

  /** Runs `fn` in a slot already taken, giving the slot back when it settles. */
  private run<T>(fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T> {
    this.executed++;
    let result: T | PromiseLike<T>;
    try {
      result = fn(signal);
    } catch (err) {
      this.release();
      return Promise.reject(err);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.release();
        return value;
      },
      (err: unknown) => {
        this.release();
        throw err;
      },
    );
  }

  private enqueue(signal: AbortSignal | undefined): Promise<void> {
    if (this.queued >= this.maxQueue) return Promise.reject(this.reject('full'));
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => waiter.fail(signal!.reason);
      const cleanup = () => {
        waiter.done = true;
        this.queued--;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        done: false,
        grant: () => {
          cleanup();
          resolve();
        },
        fail: (err) => {
          if (waiter.done) return;
          cleanup();
          reject(err);
        },
      };
      this.queue.push(waiter);
      this.queued++;
      if (this.queueTimeoutMs !== Infinity) timer = setTimeout(() => waiter.fail(this.reject('queue-timeout')), this.queueTimeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    if (this.queued === 0) {
      // no live waiter: the slot is simply free (drop settled waiters, if any)
      if (this.queue.length !== 0) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
      this.active--;
      return;
    }
    const q = this.queue;
    while (this.queueHead < q.length) {
      const next = q[this.queueHead++];
      if (this.queueHead > 1024 && this.queueHead * 2 > q.length) {
        q.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      if (!next.done) {
        next.grant(); // the slot passes straight to the waiter: `active` is unchanged
        return;
      }
    }
    q.length = 0;
    this.queueHead = 0;
    this.active--;
  }

  private reject(reason: 'full' | 'queue-timeout'): BulkheadRejectedError {
    this.rejections++;
    if (this.emitter?.active) this.emitter.emit({ type: 'rejected', policy: this.name, reason, active: this.active, queued: this.queued });
    return new BulkheadRejectedError(
      reason === 'full'
        ? `bulkhead ${this.name} is full (${this.active} running, ${this.queued} queued)`
        : `bulkhead ${this.name}: queued call waited more than ${this.queueTimeoutMs} ms`,
    );
  }
}
