import { DecodeError, decodeBlockHeader, Reader, SIGNATURE_SCHEMES, schemeFormat, type SignatureScheme, type ValidatorSet, Writer } from '../consensus/index.js';
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
// A set record of version 1 holds 32-byte Ed25519 keys; version 2 names its signature scheme
// and holds keys of that scheme's length (an 'ed25519+mldsa65' set).

const VERSION = 1;
const SCHEMED_SET_VERSION = 2;
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

function decoded<T>(key: string, bytes: Uint8Array, read: (r: Reader, version: number) => T, versions = [VERSION]): T {
  try {
    const r = new Reader(bytes);
    const version = r.u8();
    if (!versions.includes(version)) throw new DecodeError('unknown record version');
    const value = read(r, version);
    r.end();
    return value;
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    throw new TrustMismatchError(`the store's record ${key} does not decode (${err.message}): it was not written by this client`);
  }
}

function knownScheme(name: string): SignatureScheme {
  if (!SIGNATURE_SCHEMES.includes(name as SignatureScheme)) throw new DecodeError(`unknown signature scheme ${JSON.stringify(name)}`);
  return name as SignatureScheme;
}

export class TrustedStore {
  constructor(readonly storage: Storage) {}

  /** Every set record, by epoch. */
  async sets(): Promise<SetRecord[]> {
    const out: SetRecord[] = [];
    for await (const [key, value] of this.storage.entries({ gte: SET, lt: `${SET}~` })) {
      out.push(
        decoded(
          key,
          value,
          (r, version) => {
            const chainId = text.decode(r.raw(r.u8()));
            const epoch = r.u64();
            const signatures = version === VERSION ? 'ed25519' : knownScheme(text.decode(r.raw(r.u8())));
            const length = schemeFormat(signatures).publicKeyBytes;
            const count = r.u16();
            const validators: Uint8Array[] = [];
            for (let i = 0; i < count; i++) validators.push(r.raw(length).slice());
            const set = signatures === 'ed25519' ? { chainId, epoch, validators } : { chainId, epoch, validators, signatures };
            return { set, height: r.u64(), hash: r.raw(32).slice() };
          },
          [VERSION, SCHEMED_SET_VERSION],
        ),
      );
    }
    return out;
  }

  setOps(record: SetRecord): StorageOp[] {
    const chain = utf8.encode(record.set.chainId);
    const signatures = record.set.signatures ?? 'ed25519';
    const w = new Writer(64 + record.set.validators.length * 32).u8(signatures === 'ed25519' ? VERSION : SCHEMED_SET_VERSION).u8(chain.length).raw(chain).u64(record.set.epoch ?? 0);
    if (signatures !== 'ed25519') {
      const name = utf8.encode(signatures);
      w.u8(name.length).raw(name);
    }
    w.u16(record.set.validators.length);
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
