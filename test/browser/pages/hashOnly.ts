// A page that only hashes, as an app writes it: bundled with code splitting by
// test/browser/chunks.test.ts, which watches which builds `init()` fetches.
import { blake3, features, init, sha256 } from 'swarmguard/hash';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export async function digests(backend?: 'scalar' | 'simd') {
  await init(backend === undefined ? undefined : { backend });
  return { backend: features().backend, sha256: hex(sha256('abc')), blake3: hex(blake3('abc')) };
}

/** On an engine without DecompressionStream (Firefox 89–112): the deflated simd builds cannot load. */
export async function withoutDecompressionStream() {
  delete (globalThis as { DecompressionStream?: unknown }).DecompressionStream;
  const chosen = (await init()).backend;
  const forced = await init({ backend: 'simd' }).then(
    () => null,
    (err: { name: string; message: string }) => ({ name: err.name, message: err.message }),
  );
  return { chosen, forced, sha256: hex(sha256('abc')) };
}
