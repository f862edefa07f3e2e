import { SwarmguardError } from '../errors/index.js';

/** A call was refused because the circuit is open (or half-open with every probe slot taken). */
export class BrokenCircuitError extends SwarmguardError {
  override readonly name: string = 'BrokenCircuitError';
  /** Milliseconds until the breaker will admit a probe again (0 when half-open). */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super('ERR_BROKEN_CIRCUIT', message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A call was refused because the circuit was isolated by hand with `isolate()`. */
export class IsolatedCircuitError extends SwarmguardError {
  override readonly name: string = 'IsolatedCircuitError';
  constructor(message: string) {
    super('ERR_ISOLATED_CIRCUIT', message);
  }
}

/** A bulkhead had no free slot and no queue room, or a queued call waited too long. */
export class BulkheadRejectedError extends SwarmguardError {
  override readonly name: string = 'BulkheadRejectedError';
  constructor(message: string) {
    super('ERR_BULKHEAD_REJECTED', message);
  }
}

/** A rate limiter had too few tokens (or `acquire` gave up waiting). */
export class RateLimitedError extends SwarmguardError {
  override readonly name: string = 'RateLimitedError';
  /** Milliseconds until enough tokens will have been refilled. */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super('ERR_RATE_LIMITED', message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A call ran longer than its timeout. */
export class TimeoutError extends SwarmguardError {
  override readonly name: string = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number) {
    super('ERR_TIMEOUT', message);
    this.timeoutMs = timeoutMs;
  }
}
