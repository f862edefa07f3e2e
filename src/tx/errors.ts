import { SwarmguardError } from '../errors/index.js';

/**
 * Base of the errors that refuse a transaction's bytes. Each kind has its own class and stable
 * `code`; a node counts refusals by `code`.
 */
export class TransactionError extends SwarmguardError {
  override readonly name: string = 'TransactionError';
}

/** The bytes are not a transaction of a known version: truncated, trailing bytes, bad lengths. */
export class MalformedTransactionError extends TransactionError {
  override readonly name: string = 'MalformedTransactionError';
  constructor(message: string) {
    super('ERR_TX_MALFORMED', `transaction: ${message}`);
  }
}

/** The payload is longer than the configured maximum (default 64 KiB). */
export class TransactionTooLargeError extends TransactionError {
  override readonly name: string = 'TransactionTooLargeError';
  constructor(message: string) {
    super('ERR_TX_TOO_LARGE', `transaction: ${message}`);
  }
}

/** The transaction names another chain: its signature binds that chain, so it can never be valid here. */
export class WrongChainError extends TransactionError {
  override readonly name: string = 'WrongChainError';
  constructor(message: string) {
    super('ERR_TX_WRONG_CHAIN', `transaction: ${message}`);
  }
}

/** The signature does not verify under the sender's key for these bytes. */
export class TransactionSignatureError extends TransactionError {
  override readonly name: string = 'TransactionSignatureError';
  constructor(message: string) {
    super('ERR_TX_BAD_SIGNATURE', `transaction: ${message}`);
  }
}
