/**
 * Milliseconds on some monotone-enough scale. Every policy takes one, so tests and simulations
 * drive time by hand. The default is `Date.now` because breaker state persisted with
 * `toJSON()` must still mean the same instant after a restart.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
