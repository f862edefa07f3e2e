import { UnsupportedBackendError } from '../errors/index.js';
import { EMBEDDED, embeddedWasm } from './embedded.js';
import type { BackendName, Family } from './instance.js';

// Where the bytes of each WASM build come from: embedded (Node: embedded.ts), or each build's own
// module imported on demand (browser bundles). Bundlers make each generated module a chunk of its
// own, so a page fetches the builds `init()` asks for — its families, on one backend — and no other.
const chunks = {
  hash: { scalar: () => import('./generated/hashScalar.js'), simd: () => import('./generated/hashSimd.js') },
  sig: { scalar: () => import('./generated/sigScalar.js'), simd: () => import('./generated/sigSimd.js') },
  pq: { scalar: () => import('./generated/pqScalar.js'), simd: () => import('./generated/pqSimd.js') },
};

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The simd builds are fetched deflated: an engine without DecompressionStream cannot load them. */
function canInflate(): boolean {
  return typeof DecompressionStream === 'function';
}

/** Whether this host can get `backend`'s bytes at all (it may still lack the instructions). */
export function canLoad(backend: BackendName): boolean {
  return EMBEDDED || backend === 'scalar' || canInflate();
}

/** The bytes of `family`'s `backend` build: embedded, or fetched as its own module. */
export async function wasmBytes(family: Family, backend: BackendName): Promise<Uint8Array> {
  const embedded = embeddedWasm(family, backend);
  if (embedded !== undefined) return embedded;
  const { base64, deflated } = await chunks[family][backend]();
  if (!deflated) return decodeBase64(base64);
  if (!canInflate()) throw new UnsupportedBackendError(`the ${backend} builds ship deflated and this engine has no DecompressionStream; use the scalar backend`);
  const inflated = new Blob([decodeBase64(base64) as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}
