import { requireBoolean, requireInteger, requireOptions, requireString } from '../check/index.js';
import { LevelStorage, type LevelStorageOptions, StorageLockedError, StorageOpenError } from '../storage/index.js';

export interface OpenLevelStorageOptions extends LevelStorageOptions {
  /** Create the database when `path` holds none (default true); false refuses with `StorageOpenError`. */
  createIfMissing?: boolean;
}

/**
 * Opens (creating it unless told not to) the LevelDB database at `path` with `classic-level` and
 * returns a `LevelStorage` over it. LevelDB locks the directory: a second handle, in this process
 * or another, is refused with `StorageLockedError`; any other failure to open is a
 * `StorageOpenError`. classic-level (a native module) is loaded on the first call only.
 */
export async function openLevelStorage(path: string, options?: OpenLevelStorageOptions): Promise<LevelStorage> {
  requireString(path, 'openLevelStorage', 'path');
  const o = requireOptions(options, 'openLevelStorage', 'options', ['createIfMissing', 'maxQueuedBytes']);
  const createIfMissing = requireBoolean(o.createIfMissing ?? true, 'openLevelStorage', 'options.createIfMissing');
  // Checked before the database opens, so a bad option leaves no handle (and no lock) behind.
  const storageOptions = o.maxQueuedBytes === undefined ? undefined : { maxQueuedBytes: requireInteger(o.maxQueuedBytes, 'openLevelStorage', 'options.maxQueuedBytes', 1) };
  const { ClassicLevel } = await import('classic-level');
  const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view', createIfMissing });
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new StorageLockedError('openLevelStorage', path, { cause: err });
    throw new StorageOpenError('openLevelStorage', path, { cause: err });
  }
  return new LevelStorage(db, storageOptions);
}
