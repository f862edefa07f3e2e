import { SwarmguardError } from '../errors/index.js';

/** A storage was used after `close()`. */
export class StorageClosedError extends SwarmguardError {
  override readonly name: string = 'StorageClosedError';
  constructor(where: string) {
    super('ERR_STORAGE_CLOSED', `${where}: the storage is closed`);
  }
}
