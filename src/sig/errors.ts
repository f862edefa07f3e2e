import { SwarmguardError } from '../errors/index.js';

/**
 * A secret key of the right length whose encoding is not one key generation can produce (an
 * ML-DSA s1 or s2 coefficient outside [-eta, eta]): refused before signing, never used.
 */
export class MalformedSecretKeyError extends SwarmguardError {
  constructor(message: string) {
    super('ERR_MALFORMED_SECRET_KEY', message);
    this.name = 'MalformedSecretKeyError';
  }
}
