import { SwarmguardError } from '../errors/index.js';

/** A genesis or node config file is missing a field, has a wrong one, or disagrees with the keys. */
export class NodeConfigError extends SwarmguardError {
  override readonly name: string = 'NodeConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NODE_CONFIG', message, options);
  }
}

/**
 * A node's store failed its opening check (a block that does not chain, a certificate that does
 * not verify, a record that fails its checksum). The node refuses to serve it: wipe the data
 * folder (`swarmguard node reset`) and let state sync fetch the chain again from peers.
 */
export class CorruptStoreError extends SwarmguardError {
  override readonly name: string = 'CorruptStoreError';
  /** Height of the first block that failed, when a block did. */
  readonly height: number | null;
  constructor(message: string, height: number | null, options?: { cause?: unknown }) {
    super('ERR_CORRUPT_STORE', message, options);
    this.height = height;
  }
}

/** The node was stopped: calls that need a running node reject with this. */
export class NodeStoppedError extends SwarmguardError {
  override readonly name: string = 'NodeStoppedError';
  constructor(message = 'the node is stopped') {
    super('ERR_NODE_STOPPED', message);
  }
}
