// Validators as a deterministic state machine (issue 14): stake-weighted committees and epoch seeds.
export { committeeSize, electCommittee, primaryOfView, StakeSampler } from './sortition.js';
export { epochSeedInput, fallbackEpochSeed, proveEpochSeed, verifyEpochSeed } from './epochSeed.js';
