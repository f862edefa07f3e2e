import { SwarmguardError } from '../errors/index.js';

/** A replica, client or simulator was configured with inconsistent options (e.g. n < 4, unknown id). */
export class ConsensusConfigError extends SwarmguardError {
  override readonly name: string = 'ConsensusConfigError';
  constructor(message: string) {
    super('ERR_CONSENSUS_CONFIG', message);
  }
}

/** Bytes that are not a well-formed consensus message, block or snapshot (caught inside `step`). */
export class DecodeError extends SwarmguardError {
  override readonly name: string = 'DecodeError';
  constructor(message: string) {
    super('ERR_CONSENSUS_DECODE', message);
  }
}

/**
 * A durable record failed its checksum, did not decode, or names a record that is missing. A
 * replica never starts from such state: restore it from a peer instead.
 */
export class CorruptStateError extends SwarmguardError {
  override readonly name: string = 'CorruptStateError';
  /** The storage key of the bad or missing record. */
  readonly key: string;
  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super('ERR_CORRUPT_STATE', `${key}: ${message}`, options);
    this.key = key;
  }
}
