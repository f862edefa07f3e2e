import { type MerkleHash, merkleRoot } from '../merkle/index.js';
import type { TxRootFunction } from './crypto.js';

/** A block's transaction root: swarmguard's RFC 9162 `merkleRoot` over the encoded requests. */
export function defaultTxRoot(hash: MerkleHash = 'sha256'): TxRootFunction {
  return (leaves) => merkleRoot(leaves, { hash });
}
