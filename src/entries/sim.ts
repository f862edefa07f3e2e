// `swarmguard/sim`: the seeded simulator that attacks the replica, its fault names, and the
// key-value application it replicates.
export {
  BYZANTINE_FAULTS,
  type CommitLogLine,
  FAULTS,
  type Fault,
  KeyValueStore,
  kvSet,
  NETWORK_FAULTS,
  type SimOptions,
  type SimResult,
  simulate,
} from '../sim/index.js';
