// What runs only on Node: the node:crypto adapters for the consensus ports, LevelDB storage on
// disk, snapshot compression on node:zlib, and the node runtime that wires a replica to its
// store, its peers, its clock and its RPC server.
export { CorruptSnapshotError, compressSnapshot, decompressSnapshot, SnapshotCodecUnavailableError, SnapshotTooLargeError } from './compression.js';
export { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from './crypto.js';
export { requireOrigins } from './cors.js';
export { CorruptStoreError, NodeConfigError, NodeStoppedError } from './errors.js';
export { type ConsensusParams, consensusKeys, DEFAULT_CONSENSUS, type Genesis, genesisJson, type GenesisValidator, genesisValidatorSet, parseAddress, parseGenesis } from './genesis.js';
export type { StakingGenesis } from './stakingGenesis.js';
export { DEFAULT_P2P_PORT, DEFAULT_RPC_PORT, loadHome, newKeys, type NodeConfig, type NodeHome, writeHome } from './home.js';
export { type OpenLevelStorageOptions, openLevelStorage } from './levelStorage.js';
export { nodeMetrics } from './metrics.js';
export type { NodeCounters } from './counters.js';
export { type NodeOptions, type NodeTransport, SwarmNode } from './node.js';
export { type RpcOptions, startRpc } from './rpc.js';
export { type RunningNode, runNode } from './run.js';
export { MAX_SUBMIT_BATCH, type RefusalReason, type SubmitOutcome, type TxStatus } from './txIndex.js';
