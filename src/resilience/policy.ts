/** The work a policy runs: receives the (possibly policy-derived) abort signal. */
export type Task<T> = (signal?: AbortSignal) => T | PromiseLike<T>;

/** What every policy offers, so `wrap` can compose any of them. */
export interface Policy {
  execute<T>(fn: Task<T>, signal?: AbortSignal): Promise<T>;
}
