// What runs only on Node: the node:crypto adapters for the consensus ports (later the node
// runtime that wires replicas to sockets, disks and time).
export { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from './crypto.js';
