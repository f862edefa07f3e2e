import { readFile } from 'node:fs/promises';
import { type Genesis, NodeConfigError, parseGenesis } from '../node/index.js';
import { UsageError } from './usage.js';

/**
 * `--genesis FILE`, read and checked before any work: a missing, unreadable or invalid file is a
 * misuse of the command (exit 2 with the usage), not a failed run.
 */
export async function genesisOption(file: string, usage: string): Promise<Genesis> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--genesis: cannot read ${file}: ${(err as Error).message}`, usage);
  }
  try {
    return parseGenesis(json);
  } catch (err) {
    if (err instanceof NodeConfigError || err instanceof TypeError || err instanceof RangeError) throw new UsageError(`--genesis: ${file}: ${err.message}`, usage);
    throw err;
  }
}
