import { defaultInstance, type WasmInstance } from '../wasm/index.js';
import { type Blake3Api, bindBlake3 } from './blake3.js';
import { type Sha2Api, bindSha2 } from './sha2.js';

export { BLAKE3_MAX_LENGTH, BLAKE3_OPTIONS, requireBlake3Options } from './blake3.js';
export type { Blake3Api, Blake3Function, Blake3Hasher, Blake3Options, Blake3Settings } from './blake3.js';
export type { HashPairsOptions } from './pairs.js';
export type { Sha2Api, Sha2Function, Sha2Hasher } from './sha2.js';
export { HashFinalizedError } from './errors.js';
export { hkdf } from './hkdf.js';
export { type CHash, type CHashState, type Hmac, hmac } from './hmac.js';
export type { Hasher, HashSizes } from './sizes.js';

/** Every hashing function of one WASM instance. */
export interface HashApi extends Blake3Api, Sha2Api {}

const bound = new WeakMap<WasmInstance, HashApi>();

/** The hashing functions running on `instance` (bound once per instance). */
export function bindHash(instance: WasmInstance): HashApi {
  let api = bound.get(instance);
  if (!api) {
    api = { ...bindBlake3(instance), ...bindSha2(instance) };
    bound.set(instance, api);
  }
  return api;
}

function current(): HashApi {
  return bindHash(defaultInstance());
}

/** BLAKE3 on the default backend: hash, keyed hash (`key`), derive_key (`context`), any `length`. */
export const blake3: Blake3Api['blake3'] = /* @__PURE__ */ Object.assign(
  (input: Parameters<Blake3Api['blake3']>[0], options?: Parameters<Blake3Api['blake3']>[1]) => current().blake3(input, options),
  { create: (options?: Parameters<Blake3Api['blake3']['create']>[0]) => current().blake3.create(options), outputLen: 32, blockLen: 64, canXOF: false as const },
);
export const blake3Many: Blake3Api['blake3Many'] = (messages, options) => current().blake3Many(messages, options);
export const blake3Pairs: Blake3Api['blake3Pairs'] = (pairs, options) => current().blake3Pairs(pairs, options);

export const sha256: Sha2Api['sha256'] = /* @__PURE__ */ Object.assign((input: Parameters<Sha2Api['sha256']>[0]) => current().sha256(input), {
  create: () => current().sha256.create(),
  outputLen: 32,
  blockLen: 64,
  canXOF: false as const,
});
export const sha512: Sha2Api['sha512'] = /* @__PURE__ */ Object.assign((input: Parameters<Sha2Api['sha512']>[0]) => current().sha512(input), {
  create: () => current().sha512.create(),
  outputLen: 64,
  blockLen: 128,
  canXOF: false as const,
});
export const sha256Many: Sha2Api['sha256Many'] = (messages) => current().sha256Many(messages);
export const sha256Pairs: Sha2Api['sha256Pairs'] = (pairs, options) => current().sha256Pairs(pairs, options);
