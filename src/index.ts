// Node entry: everything the browser entry has, plus the Node-only parts: consensus (on
// node:crypto) with its simulator, and the Piscina worker pool.
export * from './browser.js';
export * from './consensus/index.js';
export * from './metrics/index.js';
export * from './pool/index.js';
export {
  BYZANTINE_FAULTS,
  type CommitLogLine,
  FAULTS,
  type Fault,
  KeyValueStore,
  kvSet,
  NETWORK_FAULTS,
  Prng,
  type SimOptions,
  type SimResult,
  simulate,
} from './sim/index.js';
