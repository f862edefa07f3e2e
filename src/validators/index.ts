// The validator set as a deterministic state machine: staking, rewards, slashing, committees.
export { ValidatorApplication } from './application.js';
export { auditSupply, type SupplyAudit } from './audit.js';
export { epochSeedInput, fallbackEpochSeed, proveEpochSeed, verifyEpochSeed } from './epochSeed.js';
export { type ValidatorGenesis, ValidatorStateMachine } from './machine.js';
export { DEFAULT_STAKING_PARAMS, type Offence, OFFENCES, resolveStakingParams, type SlashRule, type StakingParams } from './params.js';
export { decodeStakingResult, type StakingRefusal, type StakingResult } from './result.js';
export { committeeSize, electCommittee, primaryOfView, StakeSampler } from './sortition.js';
export { type Activity, type Committee, type Delegation, type RedelegationEntry, type UnbondingEntry, type Validator, ValidatorState } from './state.js';
export { decodeStakingPayload, invalidTxIndex, isStakingPayload, registrationMessage, type StakingOp, stakingPayload, worthRecording } from './transactions.js';
export { type CertificateFailure, type CommitCertificate, findForkCulprits, type ForkCulprit, NotAForkError, type NotAForkReason } from './accountability.js';
export { EPOCH_END_STEPS } from './epoch.js';
export { pendingRewards } from './distribution.js';
