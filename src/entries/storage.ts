// `swarmguard/storage`: the durable-bytes interface a replica's host writes `Ready.persist` to,
// its in-memory implementation and `LevelStorage` over any abstract-level database (on disk:
// `openLevelStorage` from `swarmguard/node`).
export {
  type KeyRange,
  type LatencyHistogram,
  type LevelDatabase,
  LevelStorage,
  type LevelStorageOptions,
  type LevelStorageStats,
  MemoryStorage,
  type MemoryStorageOptions,
  type Storage,
  StorageClosedError,
  StorageLockedError,
  StorageOpenError,
  type StorageOp,
  StorageQueueFullError,
  StorageReadError,
  StorageWriteError,
} from '../storage/index.js';
