import { requireByteLength, requireBytes, requireBytesList, requireInteger } from '../check/index.js';
import { DecodeError, Reader, Writer } from '../consensus/index.js';
import { parseTransaction } from '../tx/index.js';
import { requireAmount } from './amount.js';

// Staking transactions are ordinary signed transactions (`signTransaction`) whose payload starts
// with STAKING_TAG; the sender is the account that acts. Amounts are u64 on the wire.

/** First payload byte of every staking transaction (the key-value application uses 1). */
const STAKING_TAG = 0x53;
const VERSION = 1;
const OPS = ['transfer', 'register', 'delegate', 'redelegate', 'unbond', 'unjail', 'withdraw', 'evidence', 'record-commit', 'epoch-seed'] as const;

export type StakingOp =
  | { op: 'transfer'; to: Uint8Array; amount: bigint }
  /** `proof` is the consensus key's Ed25519 signature over `registrationMessage(chainId, operator)`: possession of the key. */
  | { op: 'register'; consensusKey: Uint8Array; commission: number; selfBond: bigint; proof: Uint8Array }
  | { op: 'delegate'; validator: Uint8Array; amount: bigint }
  | { op: 'redelegate'; from: Uint8Array; to: Uint8Array; amount: bigint }
  | { op: 'unbond'; validator: Uint8Array; amount: bigint }
  | { op: 'unjail' }
  | { op: 'withdraw' }
  /**
   * Two signed consensus frames of one validator, signed under `epoch`'s committee; for an invalid
   * proposal the PRE-PREPARE and an empty `second`, or the 4-byte index of its transaction whose
   * signature fails (`invalidTxIndex`).
   */
  | { op: 'evidence'; epoch: number; first: Uint8Array; second: Uint8Array }
  /** A commit certificate (vote frames) of the current epoch's committee for `height`: who signed, who proposed. */
  | { op: 'record-commit'; height: number; frames: Uint8Array[] }
  /** The designated prover's VRF proof of the seed that follows `epoch` (the epoch now ending). */
  | { op: 'epoch-seed'; epoch: number; proof: Uint8Array };

function start(op: StakingOp['op'], capacity = 80): Writer {
  return new Writer(capacity).u8(STAKING_TAG).u8(VERSION).u8(OPS.indexOf(op));
}

function amount(w: Writer, value: bigint): Writer {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, value, true);
  return w.raw(b);
}

const DOMAIN = new TextEncoder().encode('swarmguard/validators/register/v1\0');

/** What a consensus key signs to register under `operator` on `chainId` (proof of possession). */
export function registrationMessage(chainId: string, operator: Uint8Array): Uint8Array {
  const chain = new TextEncoder().encode(chainId);
  return new Writer(DOMAIN.length + chain.length + 40).raw(DOMAIN).u8(chain.length).raw(chain).raw(operator).finish();
}

/** `evidence`'s `second` for a proposal holding a transaction whose signature fails: its index, u32 little-endian. */
export function invalidTxIndex(index: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, requireInteger(index, 'invalidTxIndex', 'index', 0, 2 ** 32 - 1), true);
  return out;
}

/** Builders of staking payloads, each checking its arguments (TypeError / RangeError naming it). */
export const stakingPayload = {
  transfer(to: Uint8Array, value: bigint | number): Uint8Array {
    requireByteLength(to, 'stakingPayload.transfer', 'to', 32);
    return amount(start('transfer').raw(to), requireAmount(value, 'stakingPayload.transfer', 'amount', 1n)).finish();
  },
  register(consensusKey: Uint8Array, commission: number, selfBond: bigint | number, proof: Uint8Array): Uint8Array {
    const where = 'stakingPayload.register';
    requireByteLength(consensusKey, where, 'consensusKey', 32);
    const w = start('register').raw(consensusKey).u16(requireInteger(commission, where, 'commission', 0, 10_000));
    return amount(w, requireAmount(selfBond, where, 'selfBond', 1n)).raw(requireByteLength(proof, where, 'proof', 64)).finish();
  },
  delegate(validator: Uint8Array, value: bigint | number): Uint8Array {
    requireByteLength(validator, 'stakingPayload.delegate', 'validator', 32);
    return amount(start('delegate').raw(validator), requireAmount(value, 'stakingPayload.delegate', 'amount', 1n)).finish();
  },
  redelegate(from: Uint8Array, to: Uint8Array, value: bigint | number): Uint8Array {
    requireByteLength(from, 'stakingPayload.redelegate', 'from', 32);
    requireByteLength(to, 'stakingPayload.redelegate', 'to', 32);
    return amount(start('redelegate').raw(from).raw(to), requireAmount(value, 'stakingPayload.redelegate', 'amount', 1n)).finish();
  },
  unbond(validator: Uint8Array, value: bigint | number): Uint8Array {
    requireByteLength(validator, 'stakingPayload.unbond', 'validator', 32);
    return amount(start('unbond').raw(validator), requireAmount(value, 'stakingPayload.unbond', 'amount', 1n)).finish();
  },
  unjail(): Uint8Array {
    return start('unjail').finish();
  },
  withdraw(): Uint8Array {
    return start('withdraw').finish();
  },
  evidence(epoch: number, first: Uint8Array, second: Uint8Array = new Uint8Array(0)): Uint8Array {
    const where = 'stakingPayload.evidence';
    const w = start('evidence', 64 + first.length + second.length).u64(requireInteger(epoch, where, 'epoch', 0));
    return w.bytes(requireBytes(first, where, 'first')).bytes(requireBytes(second, where, 'second')).finish();
  },
  recordCommit(height: number, frames: Uint8Array[]): Uint8Array {
    const where = 'stakingPayload.recordCommit';
    const list = requireBytesList(frames, where, 'frames');
    return start('record-commit', 32 + list.length * 120).u64(requireInteger(height, where, 'height', 1)).list(list).finish();
  },
  epochSeed(epoch: number, proof: Uint8Array): Uint8Array {
    const where = 'stakingPayload.epochSeed';
    return start('epoch-seed', 96).u64(requireInteger(epoch, where, 'epoch', 0)).raw(requireByteLength(proof, where, 'proof', 80)).finish();
  },
};

/**
 * Whether a block's commit is worth a `recordCommit`: it holds some transaction that is not itself
 * a commit record (recording those too would keep an idle network making blocks forever).
 */
export function worthRecording(txs: readonly Uint8Array[], chainId: string): boolean {
  for (const bytes of txs) {
    try {
      const { payload } = parseTransaction(bytes, 2 ** 32, chainId);
      if (!isStakingPayload(payload) || payload.length < 3 || payload[2] !== OPS.indexOf('record-commit')) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** True when `payload` is addressed to the staking state machine (its first byte is STAKING_TAG). */
export function isStakingPayload(payload: Uint8Array): boolean {
  return payload.length > 0 && payload[0] === STAKING_TAG;
}

function readAmount64(r: Reader): bigint {
  const b = r.raw(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

/** The operation a staking payload holds; `DecodeError` when it is malformed (the transaction is then refused as `malformed`). */
export function decodeStakingPayload(payload: Uint8Array): StakingOp {
  const r = new Reader(payload);
  if (r.u8() !== STAKING_TAG) throw new DecodeError('not a staking payload');
  if (r.u8() !== VERSION) throw new DecodeError('unknown staking payload version');
  const op = OPS[r.u8()];
  let out: StakingOp;
  switch (op) {
    case 'transfer':
      out = { op, to: r.raw(32), amount: readAmount64(r) };
      break;
    case 'register':
      out = { op, consensusKey: r.raw(32), commission: r.u16(), selfBond: readAmount64(r), proof: r.raw(64) };
      break;
    case 'delegate':
    case 'unbond':
      out = { op, validator: r.raw(32), amount: readAmount64(r) };
      break;
    case 'redelegate':
      out = { op, from: r.raw(32), to: r.raw(32), amount: readAmount64(r) };
      break;
    case 'unjail':
    case 'withdraw':
      out = { op };
      break;
    case 'evidence':
      out = { op, epoch: r.u64(), first: r.bytes(1 << 24), second: r.bytes(1 << 24) };
      break;
    case 'record-commit':
      out = { op, height: r.u64(), frames: r.list(1024, 100) };
      break;
    case 'epoch-seed':
      out = { op, epoch: r.u64(), proof: r.raw(80) };
      break;
    default:
      throw new DecodeError('unknown staking operation');
  }
  r.end();
  return out;
}
