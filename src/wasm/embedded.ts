// Both builds, decoded synchronously: Node (and any runtime that is not a browser bundle)
// compiles the WASM at first use, no `await init()` needed. Browser bundlers take
// embeddedBrowser.ts instead (package.json's `browser` map), so no build sits in a page's bundle:
// `init()` fetches the one it runs (builds.ts).
import { inflateSync } from 'node:zlib';
import * as scalar from './generated/scalar.js';
import * as simd from './generated/simd.js';
import type { BackendName } from './instance.js';

const builds = { scalar, simd };

/** Whether `embeddedWasm` has every build (so no backend needs fetching). */
export const EMBEDDED = true;

/** The bytes of `backend`'s build, or undefined where builds are fetched instead. */
export function embeddedWasm(backend: BackendName): Uint8Array | undefined {
  const { base64, deflated } = builds[backend];
  const bytes = Buffer.from(base64, 'base64');
  return new Uint8Array(deflated ? inflateSync(bytes) : bytes);
}
