// `swarmguard/sim`: the seeded simulator that attacks the replica, its fault names and drawn
// parameters (and its epoch-reconfiguration mode), and the key-value application it replicates.
export {
  BYZANTINE_FAULTS,
  type CommitLogLine,
  describeParameters,
  DISK_FAULTS,
  EPOCH_FAULTS,
  type EpochOptions,
  type EpochReport,
  FAULTS,
  type Fault,
  type FaultParameters,
  KeyValueStore,
  kvSet,
  NETWORK_FAULTS,
  type SimOptions,
  type SimResult,
  simulate,
} from '../sim/index.js';
