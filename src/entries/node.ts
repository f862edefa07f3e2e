// `swarmguard/node` (Node only; the exports map refuses it to browser bundles): node:crypto
// implementations of the consensus signer, verifier and hash ports.
export { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from '../node/index.js';
