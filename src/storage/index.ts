// Durable bytes: the `Storage` interface, its in-memory implementation (tests, simulator, bench)
// and `LevelStorage` over any abstract-level database. Bytes only: nothing here knows what a
// replica stores, and nothing here names a package or a Node built-in (opening LevelDB on disk
// is node/'s `openLevelStorage`).
export { StorageClosedError, StorageLockedError, StorageOpenError, StorageQueueFullError, StorageReadError, StorageWriteError } from './errors.js';
export type { LatencyHistogram } from './latency.js';
export { type LevelDatabase, LevelStorage, type LevelStorageOptions, type LevelStorageStats } from './level.js';
export { MemoryStorage, type MemoryStorageOptions } from './memory.js';
export type { KeyRange, Storage, StorageOp } from './storage.js';
