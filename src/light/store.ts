import { DecodeError, decodeBlockHeader, Reader, type ValidatorSet, Writer } from '../consensus/index.js';
import type { Storage, StorageOp } from '../storage/index.js';
import { TrustMismatchError } from './errors.js';
import type { TrustedHeader } from './headers.js';

// The light client's trusted state in any `Storage` (IndexedDB through browser-level in a page,
// LevelDB or memory in Node). Only verified data is ever written, each write one atomic batch:
//   light/set/<epoch, 16 digits>     a validator set and the header it is trusted from
//                                    (a reconfiguration would be a new record, see docs/light.md)
//   light/header/<height, 16 digits> a verified header, its certificate, the set's epoch, its source
//   light/tip                        the highest header of the chain followed from the root
//   light/fork                       the evidence of a fork, once seen (the client then halts)
// Records are versioned; one that does not decode is refused as a store that cannot be trusted.

const VERSION = 1;
const SET = 'light/set/';
const HEADER = 'light/header/';
const TIP = 'light/tip';
const FORK = 'light/fork';
const HEADER_BYTES = 77;

const padded = (n: number): string => String(n).padStart(16, '0');
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** A validator set as the store keeps it: trusted from the header at `height` with `hash`. */
export interface SetRecord {
  set: ValidatorSet;
  height: number;
  hash: Uint8Array;
}

/** A stored header with where it came from and which set's epoch verified it. */
export interface StoredHeader extends TrustedHeader {
  source: string;
  epoch: number;
}

function decoded<T>(key: string, bytes: Uint8Array, read: (r: Reader) => T): T {
  try {
    const r = new Reader(bytes);
    if (r.u8() !== VERSION) throw new DecodeError('unknown record version');
    const value = read(r);
    r.end();
    return value;
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    throw new TrustMismatchError(`the store's record ${key} does not decode (${err.message}): it was not written by this client`);
  }
}

export class TrustedStore {
  constructor(readonly storage: Storage) {}

  /** Every set record, by epoch. */
  async sets(): Promise<SetRecord[]> {
    const out: SetRecord[] = [];
    for await (const [key, value] of this.storage.entries({ gte: SET, lt: `${SET}~` })) {
      out.push(
        decoded(key, value, (r) => {
          const chainId = text.decode(r.raw(r.u8()));
          const epoch = r.u64();
          const count = r.u16();
          const validators: Uint8Array[] = [];
          for (let i = 0; i < count; i++) validators.push(r.raw(32).slice());
          return { set: { chainId, epoch, validators }, height: r.u64(), hash: r.raw(32).slice() };
        }),
      );
    }
    return out;
  }

  setOps(record: SetRecord): StorageOp[] {
    const chain = utf8.encode(record.set.chainId);
    const w = new Writer(64 + record.set.validators.length * 32).u8(VERSION).u8(chain.length).raw(chain).u64(record.set.epoch ?? 0).u16(record.set.validators.length);
    for (const key of record.set.validators) w.raw(key);
    w.u64(record.height).raw(record.hash);
    return [{ type: 'put', key: SET + padded(record.set.epoch ?? 0), value: w.finish() }];
  }

  async header(height: number): Promise<StoredHeader | undefined> {
    const key = HEADER + padded(height);
    const value = await this.storage.get(key);
    if (value === undefined) return undefined;
    return decoded(key, value, (r) => {
      const epoch = r.u64();
      const header = r.raw(HEADER_BYTES).slice();
      const hash = r.raw(32).slice();
      const certificate = r.list(65535).map((f) => f.slice());
      const source = text.decode(r.bytes(4096));
      const fields = decodeBlockHeader(header);
      if (fields.height !== height) throw new DecodeError(`holds the header of height ${fields.height}`);
      return { ...fields, hash, header, certificate, source, epoch };
    });
  }

  /** The ops that store `header` (verified under the set of `epoch`, from `source`), moving the tip to it when `tip`. */
  headerOps(header: TrustedHeader, source: string, epoch: number, tip: boolean): StorageOp[] {
    const value = new Writer(200 + header.certificate.length * 116).u8(VERSION).u64(epoch).raw(header.header).raw(header.hash).list(header.certificate).bytes(utf8.encode(source)).finish();
    const ops: StorageOp[] = [{ type: 'put', key: HEADER + padded(header.height), value }];
    if (tip) ops.push({ type: 'put', key: TIP, value: new Writer(9).u8(VERSION).u64(header.height).finish() });
    return ops;
  }

  /** The tip's height, or undefined before the first header past the root. */
  async tip(): Promise<number | undefined> {
    const value = await this.storage.get(TIP);
    return value === undefined ? undefined : decoded(TIP, value, (r) => r.u64());
  }

  async fork(): Promise<Uint8Array | undefined> {
    return this.storage.get(FORK);
  }

  forkOps(record: Uint8Array): StorageOp[] {
    return [{ type: 'put', key: FORK, value: record }];
  }

  write(ops: StorageOp[]): Promise<void> {
    return this.storage.write(ops);
  }

  close(): Promise<void> {
    return this.storage.close();
  }
}
