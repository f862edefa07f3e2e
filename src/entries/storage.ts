// `swarmguard/storage`: the durable-bytes interface a replica's host writes `Ready.persist` to,
// and its in-memory implementation.
export { type KeyRange, MemoryStorage, type MemoryStorageOptions, type Storage, StorageClosedError, type StorageOp } from '../storage/index.js';
