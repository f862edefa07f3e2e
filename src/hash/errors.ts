import { SwarmguardError } from '../errors/index.js';

/**
 * A hasher used after it gave its digest (or was destroyed), as @noble/hashes and node:crypto
 * refuse it too. The code is node:crypto's own for the same mistake, so one branch handles both.
 */
export class HashFinalizedError extends SwarmguardError {
  override readonly name: string = 'HashFinalizedError';
  constructor(message: string) {
    super('ERR_CRYPTO_HASH_FINALIZED', message);
  }
}

/** The error for `where` (e.g. `sha256.create().update`) on a finished or destroyed hasher. */
export function finalized(where: string, destroyed: boolean): HashFinalizedError {
  return new HashFinalizedError(
    destroyed
      ? `${where}: the hasher was destroyed`
      : `${where}: the hasher already gave its digest (clone() before digest() to keep hashing, or reset() to start over)`,
  );
}
