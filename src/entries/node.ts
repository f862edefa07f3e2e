// `swarmguard/node` (Node only; the exports map refuses it to browser bundles): node:crypto
// implementations of the consensus signer, verifier and hash ports, LevelDB storage on disk
// (`openLevelStorage`) and snapshot compression.
export {
  CorruptSnapshotError,
  compressSnapshot,
  decompressSnapshot,
  nodeEd25519Signer,
  nodeEd25519Verifier,
  nodeSha256,
  type OpenLevelStorageOptions,
  openLevelStorage,
  SnapshotCodecUnavailableError,
  SnapshotTooLargeError,
} from '../node/index.js';
