export {
  DEFAULT_MAX_PAYLOAD,
  type DecodeTransactionOptions,
  MAX_CHAIN_ID_BYTES,
  parseTransaction,
  requireChainId,
  requireMaxPayload,
  type SignatureItem,
  signatureItem,
  type Transaction,
  transactionLength,
  TX_CONTEXT,
  TX_VERSION,
  type TransactionFields,
} from './encoding.js';
export { MalformedTransactionError, TransactionError, TransactionSignatureError, TransactionTooLargeError, WrongChainError } from './errors.js';
export { decodeTransaction, signTransaction, type TransactionKey, transactionId, transactionIds, transactionSigningBytes, verifyTransactions } from './sign.js';
