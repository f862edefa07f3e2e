// embedded.ts as browser bundles see it (package.json's `browser` map): no build at all, so a
// page ships none until `init()` fetches the ones it runs (builds.ts).
import type { BackendName, Family } from './instance.js';

/** Whether `embeddedWasm` has every build (so none needs fetching). */
export const EMBEDDED = false;

/** The bytes of `family`'s `backend` build, or undefined where builds are fetched instead. */
export function embeddedWasm(_family: Family, _backend: BackendName): Uint8Array | undefined {
  return undefined;
}
