// The table of batch operations the pool runs. Each operation maps one shard of a packed batch to
// bytes in the output; the same function runs inline (tiny batches, tests, the simulator) and in
// workers. To add an operation: add one entry here (see docs/pool.md).
import { requireOneOf, requireOptions } from '../check/index.js';
import { blake3Many, type Blake3Options, type Blake3Settings, requireBlake3Options, sha256Many } from '../hash/index.js';
import { MERKLE_HASHES, type MerkleHash, rootOfPackedBatch } from '../merkle/index.js';
import { MLDSA_NAMES, type MlDsaName, verifyEd25519Packed, verifyMlDsaPacked } from '../sig/index.js';
import { type PackedBatch, unpackItems } from './packedBatch.js';

/** Options an operation receives; structured-clonable. */
export type PoolOperationParams = Record<string, unknown>;

export interface PoolOperation {
  /**
   * `item`: the output holds `outputBytes(params)` bytes per item, shards are any item ranges.
   * `subtree`: one output per shard, and shards are RFC 9162 subtrees (aligned power-of-two
   * ranges, the last possibly shorter) whose outputs the host joins.
   */
  shape: 'item' | 'subtree';
  outputBytes(params: PoolOperationParams): number;
  /** Fixed work of one item in bytes of hashing, for shard sizing (default 64). */
  itemCost?: number;
  /** Shards per thread for a large batch (default 4, for load balance); 1 where bigger batches run cheaper per item. */
  shardsPerThread?: number;
  /**
   * Checks the params as the options of the function `where` and returns them normalised, so
   * the pool refuses bad ones before dispatch, as that function would. Default: no params.
   */
  params?(params: PoolOperationParams, where: string): PoolOperationParams;
  /** Fills `out` (this shard's part of the output) from items [from, to) of `batch` (`unpackItems` gives views). */
  run(batch: PackedBatch, from: number, to: number, out: Uint8Array, params: PoolOperationParams): void;
}

function writeAll(digests: Uint8Array[], out: Uint8Array): void {
  let at = 0;
  for (const d of digests) {
    out.set(d, at);
    at += d.length;
  }
}

export const operations = {
  sha256Many: {
    shape: 'item',
    outputBytes: () => 32,
    run: (batch, from, to, out) => writeAll(sha256Many(unpackItems(batch, from, to)), out),
  },
  blake3Many: {
    shape: 'item',
    outputBytes: (params) => (params as unknown as Blake3Settings).length,
    params: (params, where) => ({ ...requireBlake3Options(params as Blake3Options, where) }),
    run: (batch, from, to, out, params) => writeAll(blake3Many(unpackItems(batch, from, to), params as Blake3Options), out),
  },
  merkleRoot: {
    shape: 'subtree',
    outputBytes: () => 32,
    params: (params, where) => {
      const { hash } = requireOptions(params, where, 'options', ['hash']);
      return { hash: hash === undefined ? 'sha256' : requireOneOf(hash, where, 'options.hash', MERKLE_HASHES) };
    },
    // Zero-copy path: each chunk of the shard goes into WASM as one copy of its packed bytes.
    run: (batch, from, to, out, params) =>
      out.set(rootOfPackedBatch(new Uint8Array(batch.data), new Uint32Array(batch.table), from, to, { hash: params.hash as MerkleHash })),
  },
  ed25519VerifyBatch: {
    shape: 'item',
    outputBytes: () => 1,
    // Batch verification gets cheaper per signature as batches grow: counting 4 KiB of hashing
    // per signature keeps shards at 32 signatures or more. The gain shows in `bench sig`: the
    // `swarmguard pool (2 threads) verifyBatch, distinct keys` row against the inline
    // `swarmguard simd verifyBatch, distinct keys` one (docs/bench/sig.json).
    itemCost: 4 * 1024,
    shardsPerThread: 1,
    run: (batch, from, to, out) => verifyEd25519Packed(unpackItems(batch, from, to)).forEach((ok, i) => (out[i] = ok ? 1 : 0)),
  },
  mldsaVerifyBatch: {
    shape: 'item',
    outputBytes: () => 1,
    // An ML-DSA verification costs about as much as hashing 32 KiB (ML-DSA-65 on the SIMD build:
    // ~70 µs under a key of its own, ~32 µs when the key repeats, SHA-256 at ~650 MB/s), on top
    // of its 3.7-7.2 KB of signature and key: one item runs inline, two go to a worker, and a
    // shard holds at least three. No batch-wide algebra here, so several shards per thread cost
    // nothing but a key expansion where a key's items straddle two shards.
    itemCost: 32 * 1024,
    params: (params, where) => {
      const { algorithm } = requireOptions(params, where, 'options', ['algorithm']);
      return { algorithm: requireOneOf(algorithm, where, 'options.algorithm', MLDSA_NAMES) };
    },
    run: (batch, from, to, out, params) =>
      verifyMlDsaPacked(params.algorithm as MlDsaName, unpackItems(batch, from, to)).forEach((ok, i) => (out[i] = ok ? 1 : 0)),
  },
} satisfies Record<string, PoolOperation>;

export type PoolOperationName = keyof typeof operations;

export const OPERATION_NAMES = Object.keys(operations) as PoolOperationName[];
