import { equalBytes } from '../bytes/index.js';
import { type Block, blockHash, CorruptStateError, type DurableState, decodeDurable, encodeBlockHeader, type HashFunction, type ValidatorSet, verifyCommitCertificates } from '../consensus/index.js';
import type { Storage } from '../storage/index.js';
import { CHAIN, checkGap, decodeArchived, GAP, heightOf, RecordError, TX } from './chain.js';
import { decompressSnapshot } from './compression.js';
import { CorruptStoreError } from './errors.js';

/** What a node's store holds when it opens, after the check. */
export interface OpenedStore {
  /** The replica's records (null: an empty store, a new node). */
  durable: DurableState | null;
  /** Lowest and highest archived heights (0 and 0 when none). */
  base: number;
  tip: number;
  tipHash: Uint8Array | null;
  /** Archived blocks whose certificates were re-verified. */
  checked: number;
}

const CHUNK = 512;
/** The replica's checkpoint record (its snapshot inside): the one record a node stores compressed. */
export const CHECKPOINT_KEY = 'checkpoint';
const MAX_SNAPSHOT_BYTES = 2 ** 31 - 1;

/**
 * Opens a node's store and checks it before anything is served: the archived chain must be
 * contiguous, each block must name its predecessor's hash and carry a commit certificate that
 * verifies under the genesis validator set (every signature, batched), and the replica's records
 * must decode (consensus/recovery). Anything else is refused with `CorruptStoreError` naming the
 * first height that failed: a node never serves a chain it cannot vouch for.
 */
export async function openStore(storage: Storage, set: ValidatorSet, hash: HashFunction): Promise<OpenedStore> {
  const hashBlock = (b: Block) => blockHash(b, hash);
  let base = 0;
  let tip = 0;
  let tipHash: Uint8Array | null = null;
  let pending: { height: number; header: Uint8Array; certificate: Uint8Array[] }[] = [];
  let checked = 0;
  const flush = () => {
    const verdicts = verifyCommitCertificates(pending, set, { hash });
    for (let i = 0; i < verdicts.length; i++) {
      if (verdicts[i] !== null) throw new CorruptStoreError(`the stored block at height ${pending[i].height} has a commit certificate that does not verify (${verdicts[i]}): refusing to serve this store`, pending[i].height);
    }
    checked += pending.length;
    pending = [];
  };
  // Where the archive resumed after a state-sync jump: a block there need not follow the one before.
  const gaps = new Set<number>();
  for await (const [key, value] of storage.entries({ gte: GAP, lt: GAP + '\uffff' })) {
    try {
      checkGap(key, value);
    } catch (err) {
      throw new CorruptStoreError(`the archive's resume marker at height ${heightOf(key)} is damaged: refusing to serve this store`, heightOf(key), { cause: err });
    }
    gaps.add(heightOf(key));
  }
  for await (const [key, value] of storage.entries({ gte: CHAIN, lt: CHAIN + '\uffff' })) {
    const height = heightOf(key);
    let c;
    try {
      c = decodeArchived(key, value, hashBlock);
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      throw new CorruptStoreError(`the stored block at height ${height} is damaged (${err.message}): refusing to serve this store`, height, { cause: err });
    }
    const resumes = gaps.has(height);
    // An archive starts at height 1 or where a state-sync jump left a resume marker: a first
    // block above 1 without one means the blocks below it were lost.
    if (tipHash === null && height !== 1 && !resumes) throw new CorruptStoreError(`the stored chain misses the block at height 1 (the first one stored is ${height})`, 1);
    if (tipHash !== null && height !== tip + 1 && !resumes) throw new CorruptStoreError(`the stored chain misses the block at height ${tip + 1} (the next one stored is ${height})`, tip + 1);
    if (tipHash !== null && !resumes && !equalBytes(c.block.parent, tipHash)) throw new CorruptStoreError(`the stored block at height ${height} does not name the hash of block ${tip} as its parent`, height);
    if (base === 0) base = height;
    tip = height;
    tipHash = c.hash;
    pending.push({ height, header: encodeBlockHeader(c.block), certificate: c.cert });
    if (pending.length >= CHUNK) flush();
  }
  flush();
  const records: [string, Uint8Array][] = [];
  for (const range of [{ lt: CHAIN }, { gte: CHAIN + '\uffff', lt: GAP }, { gte: GAP + '\uffff', lt: TX }, { gte: TX + '\uffff' }]) {
    for await (const entry of storage.entries(range)) records.push(entry);
  }
  const at = records.findIndex(([key]) => key === CHECKPOINT_KEY);
  if (at >= 0) {
    // Written compressed (node.ts); a blob that does not decompress is a damaged checkpoint,
    // which recovery drops (peers send a checkpoint again).
    records[at] = [CHECKPOINT_KEY, await decompressSnapshot(records[at][1], MAX_SNAPSHOT_BYTES).catch(() => new Uint8Array(0))];
  }
  let durable: DurableState | null = null;
  if (records.length > 0) {
    try {
      durable = decodeDurable(records);
    } catch (err) {
      if (!(err instanceof CorruptStateError)) throw err;
      throw new CorruptStoreError(`the consensus state is damaged beyond recovery: ${err.message}`, null, { cause: err });
    }
  }
  return { durable, base, tip, tipHash, checked };
}
