// Every build, decoded synchronously: Node (and any runtime that is not a browser bundle)
// compiles the WASM at first use, no `await init()` needed. Browser bundlers take
// embeddedBrowser.ts instead (package.json's `browser` map), so no build sits in a page's bundle:
// `init()` fetches the ones it runs (builds.ts).
import { inflateSync } from 'node:zlib';
import * as hashScalar from './generated/hashScalar.js';
import * as hashSimd from './generated/hashSimd.js';
import * as pqScalar from './generated/pqScalar.js';
import * as pqSimd from './generated/pqSimd.js';
import * as sigScalar from './generated/sigScalar.js';
import * as sigSimd from './generated/sigSimd.js';
import type { BackendName, Family } from './instance.js';

const builds = { hash: { scalar: hashScalar, simd: hashSimd }, sig: { scalar: sigScalar, simd: sigSimd }, pq: { scalar: pqScalar, simd: pqSimd } };

/** Whether `embeddedWasm` has every build (so none needs fetching). */
export const EMBEDDED = true;

/** The bytes of `family`'s `backend` build, or undefined where builds are fetched instead. */
export function embeddedWasm(family: Family, backend: BackendName): Uint8Array | undefined {
  const { base64, deflated } = builds[family][backend];
  const bytes = Buffer.from(base64, 'base64');
  return new Uint8Array(deflated ? inflateSync(bytes) : bytes);
}
