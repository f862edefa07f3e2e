export { InvariantChecker } from './checker.js';
export { BYZANTINE_FAULTS, DISK_FAULTS, drawFaults, EPOCH_FAULTS, FAULTS, type Fault, isFault, NETWORK_FAULTS, TX_ATTACKS } from './faults.js';
export { describeParameters, drawParameters, type FaultParameters } from './parameters.js';
export { KeyValueStore, kvSet } from '../kv/index.js';
export { Prng } from './prng.js';
export { type CommitLogLine, type EpochOptions, type SimOptions } from './options.js';
export type { EpochReport, SimResult } from './result.js';
export { simulate } from './simulation.js';
export { SIM_CHAIN_ID } from './workload.js';
