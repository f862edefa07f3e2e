import { SwarmguardError } from '../errors/index.js';

/** A storage was used after `close()`. */
export class StorageClosedError extends SwarmguardError {
  override readonly name: string = 'StorageClosedError';
  constructor(where: string) {
    super('ERR_STORAGE_CLOSED', `${where}: the storage is closed`);
  }
}

/** The database at `path` is held by another handle: LevelDB lets one process open it at a time. */
export class StorageLockedError extends SwarmguardError {
  override readonly name: string = 'StorageLockedError';
  readonly path: string;
  constructor(where: string, path: string, options?: { cause?: unknown }) {
    super('ERR_STORAGE_LOCKED', `${where}: the database at ${path} is locked: another process (or another handle in this one) holds it`, options);
    this.path = path;
  }
}

/** The database at `path` could not be opened for a reason other than its lock (missing, unreadable, corrupt). */
export class StorageOpenError extends SwarmguardError {
  override readonly name: string = 'StorageOpenError';
  readonly path: string;
  constructor(where: string, path: string, options?: { cause?: unknown }) {
    super('ERR_STORAGE_OPEN', `${where}: the database at ${path} could not be opened: ${causeText(options?.cause)}`, options);
    this.path = path;
  }
}

/**
 * A write failed, so the log is broken: this write, every write queued behind it and every later
 * one reject with this error. None is reported durable (the failed batch itself may still turn
 * up after reopening: LevelDB cannot tell whether a failed sync reached the disk).
 */
export class StorageWriteError extends SwarmguardError {
  override readonly name: string = 'StorageWriteError';
  constructor(where: string, options?: { cause?: unknown }) {
    super('ERR_STORAGE_WRITE', `${where}: a write failed, so this store takes no further writes: ${causeText(options?.cause)}`, options);
  }
}

/** A read failed (an I/O error or a corrupt table). */
export class StorageReadError extends SwarmguardError {
  override readonly name: string = 'StorageReadError';
  constructor(where: string, options?: { cause?: unknown }) {
    super('ERR_STORAGE_READ', `${where}: a read failed: ${causeText(options?.cause)}`, options);
  }
}

/**
 * A write was refused, not made, because the writes already queued behind the one being synced
 * hold `maxQueuedBytes`. The store stays usable; the caller must treat this write as not made.
 */
export class StorageQueueFullError extends SwarmguardError {
  override readonly name: string = 'StorageQueueFullError';
  constructor(where: string, queuedBytes: number, bytes: number, maxQueuedBytes: number) {
    super('ERR_STORAGE_QUEUE_FULL', `${where}: ${bytes} bytes do not fit behind the ${queuedBytes} bytes already queued (maxQueuedBytes ${maxQueuedBytes})`);
  }
}

/** The messages of an error chain, outermost first (abstract-level wraps the backend's error in `cause`). */
function causeText(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const parts: string[] = [];
  for (let e: unknown = cause; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
  return parts.join(': ');
}
