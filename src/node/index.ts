// What runs only on Node: the node:crypto adapters for the consensus ports, LevelDB storage on
// disk and snapshot compression on node:zlib (later the node runtime that wires replicas to
// sockets, disks and time).
export { CorruptSnapshotError, compressSnapshot, decompressSnapshot, SnapshotCodecUnavailableError, SnapshotTooLargeError } from './compression.js';
export { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from './crypto.js';
export { type OpenLevelStorageOptions, openLevelStorage } from './levelStorage.js';
