import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Official test vectors live in `../shared/vectors` beside the checkout (never copied in).
 * `SWARMGUARD_VECTORS` may point elsewhere.
 */
export const vectorsDir = process.env.SWARMGUARD_VECTORS ?? fileURLToPath(new URL('../../../shared/vectors', import.meta.url));

export const haveVectors = existsSync(vectorsDir);

/** Reason shown for skipped vector suites when the folder is missing. */
export const missingVectorsReason = `official vectors not found: ${vectorsDir} (../shared/vectors beside the checkout) is absent`;

export function readVectors<T = unknown>(...path: string[]): T {
  return JSON.parse(readFileSync(join(vectorsDir, ...path), 'utf8')) as T;
}

export function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
