// Node entry: everything the browser entry has, plus consensus with its simulator, the
// node:crypto adapters, the Prometheus export and the Piscina worker pool.
export * from './browser.js';
export * from './consensus/index.js';
export * from './metrics/index.js';
export { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from './node/index.js';
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
