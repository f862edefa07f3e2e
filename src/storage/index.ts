// Durable bytes: the `Storage` interface and its in-memory implementation (tests, simulator,
// bench). Bytes only: nothing here knows what a replica stores.
export { StorageClosedError } from './errors.js';
export { MemoryStorage, type MemoryStorageOptions } from './memory.js';
export type { KeyRange, Storage, StorageOp } from './storage.js';
