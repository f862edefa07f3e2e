// An app page that only hashes, as a user writes it: built by Vite in test/browser/bundlers.test.ts.
import { blake3, init, sha256 } from 'swarmguard/hash';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

async function digests(backend?: 'scalar' | 'simd') {
  const { backend: got } = await init(backend === undefined ? undefined : { backend });
  return { backend: got, sha256: hex(sha256('abc')), blake3: hex(blake3('abc')) };
}

Object.assign(window, { __page: { digests }, __ready: true });
