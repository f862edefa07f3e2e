// embedded.ts as browser bundles see it (package.json's `browser` map): no build at all, so a
// page ships neither until `init()` fetches the one it runs (builds.ts).
import type { BackendName } from './instance.js';

/** Whether `embeddedWasm` has every build (so no backend needs fetching). */
export const EMBEDDED = false;

/** The bytes of `backend`'s build, or undefined where builds are fetched instead. */
export function embeddedWasm(_backend: BackendName): Uint8Array | undefined {
  return undefined;
}
