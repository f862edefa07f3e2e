// A page that only hashes, as an app writes it: bundled with code splitting by
// test/browser/chunks.test.ts, which watches which builds `init()` fetches.
import { blake3, features, init, sha256 } from 'swarmguard/hash';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export async function digests(backend?: 'scalar' | 'simd') {
  await init(backend === undefined ? undefined : { backend });
  return { backend: features().backend, sha256: hex(sha256('abc')), blake3: hex(blake3('abc')) };
}
