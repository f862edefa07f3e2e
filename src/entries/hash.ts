// `swarmguard/hash`: BLAKE3 and SHA-2 on the default backend, and HMAC and HKDF over any of them.
// `init` and `features` too: a page that imports only this entry must be able to compile the WASM
// without blocking (`await init()`) and see which backend it got.
export { type Features, features, init, type InitOptions } from '../backend/index.js';
export type { Input } from '../bytes/index.js';
export {
  BLAKE3_MAX_LENGTH,
  blake3,
  type Blake3Api,
  type Blake3Function,
  type Blake3Hasher,
  blake3Many,
  type Blake3Options,
  blake3Pairs,
  type CHash,
  type CHashState,
  type HashApi,
  type Hasher,
  HashFinalizedError,
  type HashPairsOptions,
  type HashSizes,
  hkdf,
  type Hmac,
  hmac,
  sha256,
  sha256Many,
  sha256Pairs,
  type Sha2Api,
  type Sha2Function,
  type Sha2Hasher,
  sha512,
} from '../hash/index.js';
