import { SwarmguardError } from '../errors/index.js';

/** A replica, client or simulator was configured with inconsistent options (e.g. n < 4, unknown id). */
export class ConsensusConfigError extends SwarmguardError {
  constructor(message: string) {
    super('ERR_CONSENSUS_CONFIG', message);
  }
}

/** Bytes that are not a well-formed consensus message, block or snapshot (caught inside `step`). */
export class DecodeError extends SwarmguardError {
  constructor(message: string) {
    super('ERR_CONSENSUS_DECODE', message);
  }
}
