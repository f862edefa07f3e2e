/**
 * Base of every error swarmguard throws on purpose. `code` is stable across releases, so
 * callers can branch on it without matching message text. Each subclass names itself in a
 * `name` field: `new.target.name` (the fallback here) is whatever a minifier renamed the class to.
 */
export class SwarmguardError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target === SwarmguardError ? 'SwarmguardError' : new.target.name;
    this.code = code;
  }
}

/** A requested WASM backend (e.g. `simd`) cannot run on this host. */
export class UnsupportedBackendError extends SwarmguardError {
  override readonly name: string = 'UnsupportedBackendError';
  constructor(message: string) {
    super('ERR_UNSUPPORTED_BACKEND', message);
  }
}

/** The default WASM instance is not ready yet: on a browser main thread call `await init()` first. */
export class NotInitializedError extends SwarmguardError {
  override readonly name: string = 'NotInitializedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NOT_INITIALIZED', message, options);
  }
}
