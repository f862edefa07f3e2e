// `swarmguard/tx`: client-signed transactions — sign, decode (typed refusals), verify many in one
// batch, ids. Same on Node and in browsers.
export {
  DEFAULT_MAX_PAYLOAD,
  type DecodeTransactionOptions,
  decodeTransaction,
  MalformedTransactionError,
  MAX_CHAIN_ID_BYTES,
  signTransaction,
  type Transaction,
  TransactionError,
  type TransactionFields,
  type TransactionKey,
  TransactionSignatureError,
  TransactionTooLargeError,
  TX_CONTEXT,
  TX_VERSION,
  transactionId,
  transactionIds,
  transactionSigningBytes,
  verifyTransactions,
  WrongChainError,
} from '../tx/index.js';
